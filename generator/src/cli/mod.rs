//! Commands of the `vercel-codegen` binary that live in files of their own.

#[cfg(feature = "fetch")]
pub mod fetch;
