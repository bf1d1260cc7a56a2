//! Whole-process generation time against the length of a chain of `$ref` aliases
//! (`S0 -> S1 -> ... -> Sn`, `Sn` an object, the operation answering `S0`).
//!
//! Runs the release `vercel-codegen generate` binary three times on each of the chains
//! of 1,000, 2,000, 4,000, 8,000 and 100,000 links and prints the fastest and slowest
//! run; fails when a run takes more than 2 seconds (following each link of every chain
//! again took minutes at 100,000 links).
//!
//! `cargo bench -p vercel-codegen --bench ref_chain`

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

const LINKS: &[usize] = &[1_000, 2_000, 4_000, 8_000, 100_000];
const RUNS: usize = 3;
const LIMIT: Duration = Duration::from_secs(2);

fn chain(links: usize) -> Value {
    let mut schemas = Map::new();
    for i in 0..links {
        schemas.insert(format!("S{i}"), json!({"$ref": format!("#/components/schemas/S{}", i + 1)}));
    }
    schemas.insert(format!("S{links}"), json!({"type": "object", "properties": {"id": {"type": "string"}}}));
    json!({
        "openapi": "3.0.3",
        "info": {"title": "chain", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}},
        "components": {"schemas": schemas}
    })
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut slow = Vec::new();
    println!("{:>8}  {:>9}  {:>9}", "links", "fastest", "slowest");
    for &links in LINKS {
        let spec = dir.path().join(format!("chain{links}.json"));
        std::fs::write(&spec, chain(links).to_string()).expect("write the document");
        let out = dir.path().join(format!("out{links}"));
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_vercel-codegen"))
                .arg("generate")
                .arg("--spec")
                .arg(&spec)
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run vercel-codegen");
            times.push(started.elapsed());
            assert!(status.success(), "generate failed on {links} links");
        }
        times.sort();
        let (fastest, slowest) = (times[0], times[RUNS - 1]);
        println!("{links:>8}  {:>8.3}s  {:>8.3}s", fastest.as_secs_f64(), slowest.as_secs_f64());
        if fastest > LIMIT {
            slow.push(links);
        }
    }
    assert!(slow.is_empty(), "chains of {slow:?} links took more than {LIMIT:?}");
}
