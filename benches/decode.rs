//! Decoding speed of answers synthesized from the pinned document: for each body,
//! `serde_json::from_slice` into `IgnoredAny` (parsing alone), into `serde_json::Value`,
//! into the operation's generated type ("typed"), and the client's own decode path
//! ("client", which names the failing path when decoding fails).
//!
//! `cargo bench --bench decode` (add a filter such as `get_deployment/` to run some);
//! `DECODE_BENCH_QUICK=1` measures for less time.

mod bodies;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use vercel_api::Operation;

use bodies::{Bodies, Members};

/// The success type of an operation, through its request builder.
type Answer<B> = <B as Operation>::Output;

/// One body and how to decode it as its operation's type.
struct Case {
    name: String,
    body: Vec<u8>,
    typed: fn(&[u8]),
    client: fn(Vec<u8>),
}

fn case<T: DeserializeOwned>(name: impl Into<String>, value: &Value) -> Case {
    Case {
        name: name.into(),
        body: serde_json::to_vec(value).expect("encode the body"),
        typed: |body| {
            black_box(serde_json::from_slice::<T>(body).expect("the typed decoding"));
        },
        client: |body| {
            black_box(vercel_api::decode_body::<T>("bench", body).expect("the client's decoding"));
        },
    }
}

fn cases() -> Vec<Case> {
    use vercel_api::deployments::{GetDeploymentBuilder, GetDeploymentsBuilder};
    use vercel_api::edge_config::GetEdgeConfigItemBuilder;
    use vercel_api::marketplace::GetIntegrationResourcesBuilder;
    use vercel_api::projects::{GetProjectBuilder, GetProjectsBuilder};

    let doc = bodies::pinned_document();
    let bodies = Bodies::new(&doc);
    let deployment = bodies.success_schema("getDeployment");
    let project = bodies.success_schema("getProject");
    let mut cases = vec![
        case::<Answer<GetProjectsBuilder>>("get_projects, 100", &bodies.list("getProjects", "projects", 100, 0)),
        case::<Answer<GetDeploymentsBuilder>>(
            "get_deployments, 100",
            &bodies.list("getDeployments", "deployments", 100, 0),
        ),
        case::<Answer<GetProjectBuilder>>("get_project, first", &bodies.instance(project, Members::First)),
        case::<Answer<GetProjectBuilder>>("get_project, last", &bodies.instance(project, Members::Last)),
        case::<Answer<GetIntegrationResourcesBuilder>>(
            "get_integration_resources, 100",
            &bodies.list("get-integration-resources", "resources", 100, 0),
        ),
        case::<Answer<GetDeploymentBuilder>>("get_deployment, first", &bodies.instance(deployment, Members::First)),
        case::<Answer<GetDeploymentBuilder>>("get_deployment, last", &bodies.instance(deployment, Members::Last)),
        case::<Answer<GetDeploymentBuilder>>("get_deployment, 500 routes", &bodies.list("getDeployment", "routes", 500, 0)),
    ];
    // The same page with every item lacking a required field: decoded, filled in and
    // reported (the client's default), the cost of an answer that leaves the document.
    let mut lacking = bodies.list("get-integration-resources", "resources", 100, 0);
    for resource in lacking["resources"].as_array_mut().into_iter().flatten() {
        resource.as_object_mut().map(|resource| resource.remove("internalId"));
    }
    cases.push(case::<Answer<GetIntegrationResourcesBuilder>>("get_integration_resources, 100 lacking a field", &lacking));
    for depth in [1, 8, 64] {
        let item = bodies.edge_config_item(depth);
        cases.push(case::<Answer<GetEdgeConfigItemBuilder>>(format!("edge_config_item, depth {depth}"), &item));
    }
    // 64 nested objects in all, 64 values 1 deep to 1 value 64 deep: time should not
    // grow with depth.
    for depth in [1, 8, 64] {
        let item = bodies.edge_config_item_spread(64, depth);
        let name = format!("edge_config_item, {} × depth {depth}", 64 / depth);
        cases.push(case::<Answer<GetEdgeConfigItemBuilder>>(name, &item));
    }
    cases
}

fn decode(c: &mut Criterion) {
    for case in cases() {
        let mut group = c.benchmark_group(&case.name);
        group.throughput(Throughput::Bytes(case.body.len() as u64));
        let body = case.body.as_slice();
        group.bench_function(BenchmarkId::from_parameter("IgnoredAny"), |b| {
            b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(body)).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("Value"), |b| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(body)).unwrap())
        });
        group.bench_function(BenchmarkId::from_parameter("typed"), |b| b.iter(|| (case.typed)(black_box(body))));
        // The client owns the body it decodes (it keeps it for errors), as read from
        // the network a moment before: the copy is measured with it (about 1% of the
        // time), since a batch of copies made beforehand would be decoded cold from
        // the cache while the other columns read a warm body.
        group.bench_function(BenchmarkId::from_parameter("client"), |b| {
            b.iter(|| (case.client)(black_box(body).to_vec()))
        });
        group.finish();
    }
}

fn config() -> Criterion {
    let quick = std::env::var_os("DECODE_BENCH_QUICK").is_some();
    let (warm_up, measure) = if quick { (0.3, 1.0) } else { (1.0, 3.0) };
    Criterion::default()
        .sample_size(21)
        .warm_up_time(Duration::from_secs_f64(warm_up))
        .measurement_time(Duration::from_secs_f64(measure))
}

criterion_group! {
    name = benches;
    config = config();
    targets = decode
}
criterion_main!(benches);
