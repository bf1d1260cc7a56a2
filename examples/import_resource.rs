//! Imports (upserts) a Marketplace resource into a Vercel installation.
//!
//! ```sh
//! VERCEL_TOKEN=... cargo run --example import_resource -- icfg_123 resource-1
//! ```

use vercel_api::marketplace::{ImportResourceRequest, ImportResourceStatus};
use vercel_api::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(installation), Some(resource)) = (args.next(), args.next()) else {
        eprintln!("usage: import_resource INTEGRATION_CONFIGURATION_ID RESOURCE_ID");
        std::process::exit(2);
    };
    let client = Client::new(std::env::var("VERCEL_TOKEN")?);
    let request = ImportResourceRequest {
        product_id: "my-product".into(),
        name: "my-database".into(),
        status: ImportResourceStatus::Ready,
        ownership: None,
        metadata: None,
        billing_plan: None,
        notification: None,
        extras: None,
        secrets: None,
    };
    let imported = client
        .import_resource(installation, resource)
        .body(request)
        .await?;
    println!("imported {}", imported.name);
    Ok(())
}
