//! The committed client is what the generator makes of the pinned document, and
//! each Marketplace operation's code is reviewed through a snapshot.

mod support;

use vercel_codegen::emit::operation_source;
use vercel_codegen::generate::compare;
use vercel_codegen::ir::{TypeKind, TypeRef};

#[test]
fn committed_generated_code_equals_fresh_output() {
    let generated = support::generate_pinned();
    let differences = compare(&support::workspace().join("generated"), &generated.sources);
    assert!(
        differences.is_empty(),
        "generated/ is stale: {differences:?}; run `cargo build` to regenerate it"
    );
}

#[test]
fn generation_is_deterministic() {
    let first = support::generate_pinned().sources;
    let second = support::generate_pinned().sources;
    assert_eq!(first, second);
}

/// The operations tagged `marketplace`.
fn marketplace(api: &vercel_codegen::ir::Api) -> Vec<&vercel_codegen::ir::Operation> {
    api.operations.iter().filter(|op| op.tags.iter().any(|t| t == "marketplace")).collect()
}

#[test]
fn every_operation_is_generated() {
    let generated = support::generate_pinned();
    assert_eq!(generated.api.operations.len(), 216);
    let ids: Vec<&str> = marketplace(&generated.api).iter().map(|op| op.id.as_str()).collect();
    assert_eq!(ids.len(), 22, "{ids:?}");
    for expected in ["import-resource", "update-resource", "submit-invoice", "exchange-sso-token"] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
}

#[test]
fn import_resource_types_follow_the_schema() {
    let api = support::generate_pinned().api;
    let TypeKind::Struct(request) = &api.types["ImportResourceRequest"].kind else {
        panic!("ImportResourceRequest is a struct");
    };
    let field = |wire: &str| request.fields.iter().find(|f| f.wire_name == wire).unwrap();
    assert!(field("productId").required && field("name").required && field("status").required);
    assert_eq!(field("productId").rust_name, "product_id");
    assert_eq!(field("billingPlan").ty, TypeRef::Named("BillingPlan".into()));
    assert!(!field("billingPlan").required);
    assert_eq!(
        field("secrets").ty,
        TypeRef::Array(Box::new(TypeRef::Named("Secret".into())))
    );
    let TypeKind::Enum(status) = &api.types["ResourceStatus"].kind else {
        panic!("ResourceStatus is an enum");
    };
    let values: Vec<&str> = status.variants.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["ready", "pending", "onboarding", "suspended", "resumed", "uninstalled", "error"]);
}

/// The type an operation answers with on 200.
fn answer<'a>(api: &'a vercel_codegen::ir::Api, id: &str) -> &'a TypeRef {
    let op = api.operations.iter().find(|op| op.id == id).unwrap_or_else(|| panic!("no operation {id}"));
    let ok = op.responses.iter().find(|r| r.status == 200).unwrap_or_else(|| panic!("{id} has no 200"));
    ok.body.as_ref().unwrap_or_else(|| panic!("{id} answers no body"))
}

#[test]
fn get_project_and_update_project_return_the_same_project_type() {
    let api = support::generate_pinned().api;
    let project = TypeRef::Named("Project".into());
    for id in ["getProject", "updateProject", "createProject"] {
        assert_eq!(answer(&api, id), &project, "{id}");
    }
    let TypeKind::Struct(fields) = &api.types["Project"].kind else { panic!("Project is a struct") };
    // `integrations` is only in getProject's answer: optional in the one type.
    let integrations = fields.fields.iter().find(|f| f.wire_name == "integrations").expect("integrations");
    assert!(!integrations.required);
}

#[test]
fn the_framework_list_is_one_shared_enum() {
    let api = support::generate_pinned().api;
    let framework = &api.types["Framework"];
    let TypeKind::Enum(values) = &framework.kind else { panic!("Framework is an enum") };
    assert!(values.variants.iter().any(|v| v.value == "nextjs"), "{:?}", values.variants);
    assert_eq!(framework.group, vercel_codegen::ir::SHARED_GROUP);
    // Every `framework` property holding a list of known values holds this one enum.
    let mut users = Vec::new();
    for def in api.types.values() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for field in s.fields.iter().filter(|f| f.wire_name == "framework") {
            let mut ty = &field.ty;
            while let TypeRef::Nullable(inner) = ty {
                ty = inner;
            }
            if let TypeRef::Named(name) = ty {
                if matches!(api.types[name].kind, TypeKind::Enum(_)) {
                    assert_eq!(name, "Framework", "{}.framework", def.name);
                    users.push(def.name.as_str());
                }
            }
        }
    }
    assert!(users.len() >= 5, "{users:?}");
    assert!(framework.used_by.len() >= 3, "{:?}", framework.used_by);
}

#[test]
fn snapshot_of_each_marketplace_operation() {
    let api = support::generate_pinned().api;
    for op in marketplace(&api) {
        let source = operation_source(&api, &op.id)
            .expect("the operation exists")
            .expect("its code formats");
        insta::assert_snapshot!(format!("operation__{}", op.id), source);
    }
}

/// Operations outside the Marketplace whose code shows a construct: pagination with a
/// timestamp cursor (`listAliases`) and through unions (`getProjects`), and typed error
/// bodies (`getSupportedTlds`).
const SHOWCASE_OPERATIONS: &[&str] = &["listAliases", "getProjects", "getSupportedTlds"];

#[test]
fn snapshot_of_paging_and_typed_error_operations() {
    let api = support::generate_pinned().api;
    for id in SHOWCASE_OPERATIONS {
        let op = api.operations.iter().find(|op| op.id == *id).expect("the operation exists");
        assert!(op.paging.is_some() || op.errors().any(|r| r.body.is_some()), "{id} shows nothing");
        let source = operation_source(&api, id).expect("the operation exists").expect("its code formats");
        insta::assert_snapshot!(format!("operation__{id}"), source);
    }
}

/// Operations whose listing pages, and ones that carry a `pagination` object they cannot
/// follow (no cursor parameter, or no `next`).
#[test]
fn paging_is_recognised_where_a_cursor_can_be_followed() {
    let api = support::generate_pinned().api;
    let mut paged: Vec<&str> = api
        .operations
        .iter()
        .filter(|op| op.paging.is_some())
        .map(|op| op.id.as_str())
        .collect();
    paged.sort_unstable();
    assert_eq!(
        paged,
        [
            "getDeployments",
            "getDomains",
            "getEdgeConfigBackups",
            "getProjectDomains",
            "getProjectMembers",
            "getProjects",
            "getRecords",
            "getTeamMembers",
            "getTeams",
            "listAccessGroupMembers",
            "listAccessGroupProjects",
            "listAccessGroups",
            "listAliases",
            "listPromoteAliases",
        ]
    );
}

#[test]
fn cargo_features_match_the_generated_groups() {
    let api = support::generate_pinned().api;
    let manifest = std::fs::read_to_string(support::workspace().join("Cargo.toml")).unwrap();
    let table = vercel_codegen::generate::features_table(&api);
    assert!(
        manifest.contains(&table),
        "Cargo.toml must declare exactly these features:\n{table}"
    );
}

#[test]
fn a_body_whose_schema_requires_properties_is_an_argument() {
    let (_, path) = support::pinned_spec_path();
    let spec = vercel_codegen::load::load_path(&path).expect("the pin loads");
    let repaired: Vec<&str> = spec
        .warnings
        .iter()
        .filter(|warning| warning.message.ends_with("made the body required"))
        .filter_map(|warning| warning.message.split('`').nth(1))
        .collect();
    assert_eq!(repaired.len(), 23, "{repaired:?}");
    for expected in ["update-resource-secrets-by-id", "import-resource", "createProject", "invalidateByTags"] {
        assert!(repaired.contains(&expected), "{expected}: {repaired:?}");
    }
    let generated = support::generate_pinned();
    for op in &generated.api.operations {
        let body = op.body.as_ref();
        if repaired.contains(&op.id.as_str()) {
            assert!(body.is_some_and(|body| body.required), "{}", op.id);
        }
    }
    // The call takes the body; its builder has no `body` setter to forget.
    let marketplace = std::fs::read_to_string(support::workspace().join("generated/marketplace.rs")).unwrap();
    let signature = marketplace.split("pub fn update_resource_secrets_by_id(").nth(1).unwrap();
    let signature = &signature[..signature.find(") ->").unwrap()];
    assert!(signature.contains("body: UpdateResourceSecretsRequest"), "{signature}");
    let builder = marketplace.split("pub struct UpdateResourceSecretsByIdBuilder").nth(1).unwrap();
    let builder = &builder[..builder.find("request_builder!(UpdateResourceSecretsByIdBuilder)").unwrap()];
    assert!(!builder.contains("pub fn body("), "{builder}");
}

/// The types users meet as an operation's request body or success answer (not a
/// component schema), each with the type stems of the operations they are that for.
fn operation_faces(api: &vercel_codegen::ir::Api) -> std::collections::BTreeMap<&str, Vec<&str>> {
    let mut faces: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for op in &api.operations {
        let answers = op.successes().flat_map(|r| r.body.iter().chain(r.stream.iter()));
        for ty in op.body.iter().map(|b| &b.ty).chain(answers) {
            let TypeRef::Named(name) = ty else { continue };
            if !api.types[name].pointer.starts_with("/components/schemas/") {
                faces.entry(name.as_str()).or_default().push(op.type_stem.as_str());
            }
        }
    }
    faces
}

/// A type that is some operation's request body or success answer is named after an
/// operation it is that for: the name starts with the operation's type stem
/// (`ImportResourceResponse`), or is the resource those operations act on (`Project` for
/// `GetProject` and `UpdateProject`). So no such type takes its name from a property met
/// elsewhere, such as the `newTeam` of a user event's payload.
#[test]
fn operation_bodies_and_answers_are_named_after_their_operations() {
    let api = support::generate_pinned().api;
    let faces = operation_faces(&api);
    let misnamed: Vec<String> = faces
        .iter()
        .filter(|(name, stems)| !stems.iter().any(|stem| name.starts_with(stem) || stem.ends_with(*name)))
        .map(|(name, stems)| format!("{name} (for {stems:?})"))
        .collect();
    assert!(misnamed.is_empty(), "named after something else: {misnamed:?}");
    for id in ["import-resource", "update-resource"] {
        assert_eq!(answer(&api, id), &TypeRef::Named("ImportResourceResponse".into()), "{id}");
    }
}
