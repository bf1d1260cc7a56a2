//! `vercel-codegen verify`: proves a generated client right against its document.

pub mod synth;
pub mod validate;
