//! Commands of the `vercel-codegen` binary that live in files of their own.

#[cfg(feature = "fetch")]
pub mod fetch;
#[cfg(feature = "release")]
pub mod update_pin;
