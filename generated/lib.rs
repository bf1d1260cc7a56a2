#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
mod runtime;
pub use runtime::{
    BoxFuture, Client, ClientBuilder, DeclaredError, Error, ErrorDetail, JsonStream,
    Number, Operation, Outcome, Paginated, RateLimit, RequestOptions, ResponseValue,
    Result, RetryPolicy,
};
/// The HTTP client the API client is built on: its types appear in this crate's
/// API (`StatusCode`, `HeaderMap`, [`ClientBuilder::http_client`]).
pub use reqwest;
/// Types and operations of the `access_groups` group.
#[cfg(feature = "access-groups")]
pub mod access_groups;
/// Types and operations of the `aliases` group.
#[cfg(feature = "aliases")]
pub mod aliases;
/// Types and operations of the `artifacts` group.
#[cfg(feature = "artifacts")]
pub mod artifacts;
/// Types and operations of the `authentication` group.
#[cfg(feature = "authentication")]
pub mod authentication;
/// Types and operations of the `certs` group.
#[cfg(feature = "certs")]
pub mod certs;
/// Types and operations of the `checks` group.
#[cfg(feature = "checks")]
pub mod checks;
/// Types and operations of the `connect` group.
#[cfg(feature = "connect")]
pub mod connect;
/// Types and operations of the `deployments` group.
#[cfg(feature = "deployments")]
pub mod deployments;
/// Types and operations of the `dns` group.
#[cfg(feature = "dns")]
pub mod dns;
/// Types and operations of the `domains` group.
#[cfg(feature = "domains")]
pub mod domains;
/// Types and operations of the `domains_registrar` group.
#[cfg(feature = "domains-registrar")]
pub mod domains_registrar;
/// Types and operations of the `drains` group.
#[cfg(feature = "drains")]
pub mod drains;
/// Types and operations of the `edge_cache` group.
#[cfg(feature = "edge-cache")]
pub mod edge_cache;
/// Types and operations of the `edge_config` group.
#[cfg(feature = "edge-config")]
pub mod edge_config;
/// Types and operations of the `environment` group.
#[cfg(feature = "environment")]
pub mod environment;
/// Types and operations of the `integrations` group.
#[cfg(feature = "integrations")]
pub mod integrations;
/// Types and operations of the `log_drains` group.
#[cfg(feature = "log-drains")]
pub mod log_drains;
/// Types and operations of the `logs` group.
#[cfg(feature = "logs")]
pub mod logs;
/// Types and operations of the `marketplace` group.
#[cfg(feature = "marketplace")]
pub mod marketplace;
/// Types and operations of the `project_members` group.
#[cfg(feature = "project-members")]
pub mod project_members;
/// Types and operations of the `projects` group.
#[cfg(feature = "projects")]
pub mod projects;
/// Types and operations of the `rolling_release` group.
#[cfg(feature = "rolling-release")]
pub mod rolling_release;
/// Types and operations of the `security` group.
#[cfg(feature = "security")]
pub mod security;
/// Types used by the operations of several groups.
pub mod shared;
/// Types and operations of the `teams` group.
#[cfg(feature = "teams")]
pub mod teams;
/// Types and operations of the `user` group.
#[cfg(feature = "user")]
pub mod user;
/// Types and operations of the `webhooks` group.
#[cfg(feature = "webhooks")]
pub mod webhooks;
