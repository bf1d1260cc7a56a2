//! Imports (upserts) a Marketplace resource into a Vercel installation, with one secret,
//! and tells a declared error (such as a 409 conflict) from other failures.
//!
//! ```sh
//! VERCEL_TOKEN=... cargo run --example import_resource -- icfg_123 resource-1
//! ```

use vercel_api::marketplace::{ImportResourceError, ImportResourceRequest, ResourceStatus, Secret};
use vercel_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(installation), Some(resource)) = (args.next(), args.next()) else {
        eprintln!("usage: import_resource INTEGRATION_CONFIGURATION_ID RESOURCE_ID");
        std::process::exit(2);
    };
    let client = Client::from_env()?;
    let secret = Secret::new("DATABASE_URL", "postgres://user:password@host/db");
    let request = ImportResourceRequest::new("my-product", "my-database", ResourceStatus::Ready)
        .with_secrets(vec![secret]);
    // `Debug` shows the request without the secret's value.
    println!("importing {request:?}");
    match client.import_resource(installation, resource, request).await {
        Ok(imported) => println!("imported {}", imported.name),
        Err(Error::Api { error, body, .. }) if *error == ImportResourceError::Conflict => {
            eprintln!("conflict: {}", String::from_utf8_lossy(&body));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
