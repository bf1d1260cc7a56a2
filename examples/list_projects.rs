//! Lists every project of the account (or of a team), following the pagination
//! cursor page after page.
//!
//! ```sh
//! VERCEL_TOKEN=... cargo run --example list_projects -- [TEAM_ID]
//! ```

use futures_util::TryStreamExt;
use vercel_api::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("VERCEL_TOKEN").map_err(|_| "set VERCEL_TOKEN")?;
    let mut builder = Client::builder().token(token);
    if let Some(team) = std::env::args().nth(1) {
        builder = builder.team_id(team);
    }
    let client = builder.build()?;

    let mut projects = client.get_projects().limit("100").paginate();
    let mut count = 0;
    while let Some(project) = projects.try_next().await? {
        println!("{}\t{}", project.id, project.name);
        count += 1;
    }
    eprintln!("{count} projects");
    Ok(())
}
