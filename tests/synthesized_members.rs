//! The union members chosen for answers synthesized from the pinned document stay the
//! same: each answer is decoded and the digest of its `Debug` text (which names every
//! member chosen) is compared with the snapshot. Unions take their first member, their
//! last, or rotate through their members with the instance's index; answers of a newer
//! API add unknown properties, enum values and union members.

#[path = "../benches/bodies/mod.rs"]
mod bodies;

use std::fmt::Write;

use serde::de::DeserializeOwned;
use serde_json::Value;
use vercel_api::Operation;

use bodies::{Bodies, Members};

/// How many rotating instances of each answer are decoded at most.
const ROTATIONS: usize = 24;

/// The digest line of one decoded body.
fn digest<T: DeserializeOwned + std::fmt::Debug>(label: &str, value: &Value) -> String {
    let bytes = serde_json::to_vec(value).unwrap();
    let decoded: T = vercel_api::decode_body("test", bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
    let hash = vercel_codegen::pin::sha256_hex(format!("{decoded:?}").as_bytes());
    format!("{label}: {}\n", &hash[..16])
}

/// The digests of an operation's answers: first, last, and rotating members.
fn answers<B: Operation>(bodies: &Bodies<'_>, operation_id: &str, out: &mut String)
where
    B::Output: DeserializeOwned + std::fmt::Debug,
{
    let schema = bodies.success_schema(operation_id);
    out.push_str(&digest::<B::Output>(&format!("{operation_id} first"), &bodies.instance(schema, Members::First)));
    out.push_str(&digest::<B::Output>(&format!("{operation_id} last"), &bodies.instance(schema, Members::Last)));
    for k in 0..bodies.width(schema).min(ROTATIONS) {
        let label = format!("{operation_id} {k}");
        out.push_str(&digest::<B::Output>(&label, &bodies.instance(schema, Members::Rotating(k))));
    }
    for k in 0..bodies.width(schema).min(ROTATIONS / 4) {
        let label = format!("{operation_id} newer {k}");
        out.push_str(&digest::<B::Output>(&label, &bodies.instance(schema, Members::Newer(k))));
    }
}

#[test]
fn synthesized_answers_decode_to_the_same_members() {
    use vercel_api::deployments::{GetDeploymentBuilder, GetDeploymentsBuilder};
    use vercel_api::drains::{GetDrainBuilder, GetDrainsBuilder};
    use vercel_api::edge_config::GetEdgeConfigItemBuilder;
    use vercel_api::integrations::GetConfigurationProductsBuilder;
    use vercel_api::log_drains::GetAllLogDrainsBuilder;
    use vercel_api::marketplace::GetIntegrationResourcesBuilder;
    use vercel_api::projects::{FilterProjectEnvsBuilder, GetProjectBuilder, GetProjectEnvBuilder, GetProjectsBuilder};

    let doc = bodies::pinned_document();
    let bodies = Bodies::new(&doc);
    let mut out = String::new();
    answers::<GetDeploymentBuilder>(&bodies, "getDeployment", &mut out);
    answers::<GetDeploymentsBuilder>(&bodies, "getDeployments", &mut out);
    answers::<GetProjectsBuilder>(&bodies, "getProjects", &mut out);
    answers::<GetProjectBuilder>(&bodies, "getProject", &mut out);
    answers::<GetIntegrationResourcesBuilder>(&bodies, "get-integration-resources", &mut out);
    answers::<GetEdgeConfigItemBuilder>(&bodies, "getEdgeConfigItem", &mut out);
    answers::<GetConfigurationProductsBuilder>(&bodies, "getConfigurationProducts", &mut out);
    answers::<GetAllLogDrainsBuilder>(&bodies, "getAllLogDrains", &mut out);
    answers::<GetDrainsBuilder>(&bodies, "getDrains", &mut out);
    answers::<GetDrainBuilder>(&bodies, "getDrain", &mut out);
    answers::<GetProjectEnvBuilder>(&bodies, "getProjectEnv", &mut out);
    answers::<FilterProjectEnvsBuilder>(&bodies, "filterProjectEnvs", &mut out);
    // The benchmark's bodies: long lists rotating through their items' members.
    let lists = [
        ("getProjects", "projects", 100),
        ("getDeployments", "deployments", 100),
        ("get-integration-resources", "resources", 100),
        ("getDeployment", "routes", 500),
    ];
    for (operation_id, field, count) in lists {
        let body = bodies.list(operation_id, field, count, 0);
        let label = format!("{operation_id} {count} {field}");
        out.push_str(&match operation_id {
            "getProjects" => digest::<<GetProjectsBuilder as Operation>::Output>(&label, &body),
            "getDeployments" => digest::<<GetDeploymentsBuilder as Operation>::Output>(&label, &body),
            "get-integration-resources" => digest::<<GetIntegrationResourcesBuilder as Operation>::Output>(&label, &body),
            _ => digest::<<GetDeploymentBuilder as Operation>::Output>(&label, &body),
        });
    }
    for depth in [1, 8, 64] {
        let label = format!("getEdgeConfigItem depth {depth}");
        let item = bodies.edge_config_item(depth);
        out.push_str(&digest::<<GetEdgeConfigItemBuilder as Operation>::Output>(&label, &item));
    }
    let _ = writeln!(out, "end");
    insta::assert_snapshot!(out);
}
