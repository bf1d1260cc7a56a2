//! `vercel-codegen` turns Vercel's OpenAPI document into the typed async Rust
//! client `vercel-api`.
//!
//! The pipeline flows one way: [`load`] (JSON or YAML into openapiv3, repairing
//! known real-world defects with warnings) -> [`ir`] (operations and types, every
//! name decided once) -> [`emit`] (`quote!` token streams) -> [`format`]
//! (prettyplease). [`pin`] finds the pinned document and [`documents`] lists every
//! document the project uses, where each comes from (and, with the `fetch` feature,
//! downloads them); [`generate`] ties it together;
//! [`diff`] tells what changed between two documents and what it breaks; `release`
//! turns that into the next version and its changelog section.

pub mod diff;
pub mod documents;
pub mod emit;
pub mod format;
pub mod generate;
pub mod ir;
pub mod load;
pub mod names;
pub mod pin;
#[cfg(feature = "release")]
pub mod release;
#[cfg(feature = "verify")]
pub mod verify;

pub use generate::{generate_sources, GenerateError, Generated};
