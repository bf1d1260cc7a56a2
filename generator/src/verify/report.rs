//! Judging the harness's record against the oracle's expectations.

use serde_json::Value;

use super::compare::{first_difference, same_text};
use super::oracle::{Body, Call, Expected, OperationPlan};

/// How much of a value a failure message quotes.
const QUOTED_CHARS: usize = 160;

/// A value, cut short for a message.
fn quoted(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The instances of one schema and what the validator said of them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SchemaCase {
    /// The pointer of the schema.
    pub pointer: String,
    /// Valid instances, which must round-trip.
    pub instances: Vec<Value>,
    /// Forward-compatibility instances (responses only), which must decode.
    pub forward: Vec<Value>,
    /// Instances the validator rejected (a synthesizer failure), with why.
    #[serde(skip)]
    pub invalid: Vec<String>,
}

/// The failures of one schema's round trip; empty when it passed.
/// `locate` names the deepest schema on a JSON path into the schema's instances.
pub fn schema_failures(case: &SchemaCase, result: &Value, locate: &dyn Fn(&str) -> String) -> Vec<String> {
    let pointer = &case.pointer;
    let mut failures: Vec<String> = case.invalid.iter().map(|e| format!("schema {pointer}: {e}")).collect();
    for (index, instance) in case.instances.iter().enumerate() {
        let outcome = &result["instances"][index];
        if let Some(error) = outcome.get("error") {
            failures.push(format!("schema {pointer}: instance {} does not decode {}: {}", index, quoted(instance), text(error)));
        } else if let Some(path) = first_difference(instance, &outcome["ok"]) {
            let deepest = locate(path.trim_start_matches("(root)"));
            failures.push(format!(
                "schema {deepest}: instance {index} of {pointer} does not round-trip at `{path}`: sent {}, got back {}",
                quoted(instance),
                quoted(&outcome["ok"])
            ));
        }
    }
    for (index, instance) in case.forward.iter().enumerate() {
        if let Some(error) = result["forward"][index].get("error") {
            failures.push(format!(
                "schema {pointer}: a response from a newer API does not decode {}: {}",
                quoted(instance),
                text(error)
            ));
        }
    }
    failures
}

fn text(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// The failures of one operation's calls; empty when every call passed.
pub fn operation_failures(id: &str, plan: &OperationPlan, results: &Value) -> Vec<String> {
    let mut failures: Vec<String> = plan.invalid.iter().map(|e| format!("operation {id}: {e}")).collect();
    if plan.calls.is_empty() {
        failures.push(format!("operation {id}: no call could be planned"));
    }
    for (index, call) in plan.calls.iter().enumerate() {
        let record = &results[index];
        for problem in call_problems(call, record) {
            failures.push(format!("operation {id}: call {index} (answered {}): {problem}", call.answer.status));
        }
    }
    failures
}

/// What is wrong with one call.
fn call_problems(call: &Call, record: &Value) -> Vec<String> {
    let outcome = &record["outcome"];
    if let Some(error) = outcome.get("argument_error") {
        return vec![format!("an argument does not convert: {}", text(error))];
    }
    let mut problems = request_problems(call, &record["request"]);
    problems.extend(result_problems(call, outcome));
    problems
}

fn request_problems(call: &Call, request: &Value) -> Vec<String> {
    let expect = &call.expect;
    if request.is_null() {
        return vec!["no request reached the server".to_owned()];
    }
    let mut problems = Vec::new();
    let method = request["method"].as_str().unwrap_or_default();
    if method != expect.method {
        problems.push(format!("method {method}, expected {}", expect.method));
    }
    let raw_path = request["path"].as_str().unwrap_or_default();
    let segments: Vec<String> = raw_path.split('/').map(decode).collect();
    let path_ok = segments.len() == expect.segments.len()
        && segments.iter().zip(&expect.segments).all(|(a, e)| same_text(e, a));
    if !path_ok {
        problems.push(format!("path {raw_path} does not decode to /{}", expect.segments[1..].join("/")));
    }
    let mut query = parse_query(request["query"].as_str().unwrap_or_default());
    for (name, value) in &expect.query {
        match query.iter().position(|(n, v)| n == name && same_text(value, v)) {
            Some(found) => {
                query.remove(found);
            }
            None => problems.push(format!("query lacks {name}={value:?} (query: {})", request["query"])),
        }
    }
    for (name, value) in query {
        problems.push(format!("query has unexpected {name}={value:?}"));
    }
    let headers: Vec<(String, String)> = request["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| (text(&pair[0]).to_ascii_lowercase(), text(&pair[1])))
        .collect();
    for (name, value) in &expect.headers {
        let present = headers.iter().any(|(n, v)| n == name && (same_text(value, v) || v.starts_with(value.as_str())));
        if !present {
            problems.push(format!("header {name}: {value:?} missing"));
        }
    }
    let body = request["body"].as_str().unwrap_or_default();
    match &expect.body {
        None if !body.is_empty() => problems.push(format!("unexpected body {body}")),
        None => {}
        Some(Body::Bytes(bytes)) if body.as_bytes() != bytes.as_slice() => {
            problems.push(format!("body {body:?}, expected the raw bytes sent"));
        }
        Some(Body::Bytes(_)) => {}
        Some(Body::Json(expected)) => match serde_json::from_str::<Value>(body) {
            Ok(actual) => {
                if let Some(path) = first_difference(expected, &actual) {
                    problems.push(format!("body differs at `{path}`: sent {}, expected {}", quoted(&actual), quoted(expected)));
                }
            }
            Err(e) => problems.push(format!("body is not JSON ({e}): {body}")),
        },
    }
    problems
}

fn result_problems(call: &Call, outcome: &Value) -> Vec<String> {
    let expect = &call.expect;
    let error = outcome.get("error");
    match (&expect.success, error) {
        (Some(_), Some(error)) => vec![format!("expected success {}, got error: {}", expect.status, text(&error["message"]))],
        (Some(expected), None) => {
            let mut problems = Vec::new();
            if let Some(status) = outcome["status"].as_u64() {
                if status != u64::from(expect.status) {
                    problems.push(format!("decoded as the {status} success, expected {}", expect.status));
                }
            }
            if let Some(path) = first_difference(expected, &outcome["body"]) {
                problems.push(format!(
                    "success value differs at `{path}`: answered {}, decoded {}",
                    quoted(expected),
                    quoted(&outcome["body"])
                ));
            }
            problems
        }
        (None, Some(error)) => error_problems(expect, error),
        (None, None) => vec![format!("expected an error with status {}, got success {}", expect.status, quoted(outcome))],
    }
}

/// What is wrong with an error result: its status, whether it decoded as the declared
/// error of that status, and the body that declared error carries.
fn error_problems(expect: &Expected, error: &Value) -> Vec<String> {
    let status = u64::from(expect.status);
    if error["status"].as_u64() != Some(status) {
        return vec![format!("expected an error with status {status}, got: {}", text(&error["message"]))];
    }
    let declared = &error["declared"];
    if expect.undeclared {
        return match declared["status"].as_u64() {
            Some(variant) => vec![format!("the undeclared status {status} decoded as the declared {variant} error")],
            None => Vec::new(),
        };
    }
    if declared["status"].as_u64() != Some(status) {
        return vec![format!("expected the declared {status} error, got: {}", text(&error["message"]))];
    }
    match &expect.error_body {
        Some(body) => first_difference(body, &declared["body"])
            .map(|path| {
                format!(
                    "the {status} error's body differs at `{path}`: answered {}, decoded {}",
                    quoted(body),
                    quoted(&declared["body"])
                )
            })
            .into_iter()
            .collect(),
        None => Vec::new(),
    }
}

/// What a failure is about: its first words up to `: ` (`operation getDeployment`,
/// `schema /components/schemas/UserEvent`).
pub fn subject(failure: &str) -> &str {
    failure.split_once(": ").map_or(failure, |(subject, _)| subject)
}

/// The subjects listed in a known-failures file: one per line, `#` starts a comment.
pub fn parse_known(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .map(|line| line.split_once('#').map_or(line, |(before, _)| before).trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Failures sorted against a list of known failing subjects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triage {
    /// Failures whose subject is not listed.
    pub new: Vec<String>,
    /// Failures whose subject is listed.
    pub known: Vec<String>,
    /// Listed subjects that no longer fail.
    pub fixed: Vec<String>,
}

/// Sorts `failures` into new and known ones, and finds listed subjects that pass now.
pub fn triage(failures: &[String], known: &std::collections::BTreeSet<String>) -> Triage {
    let mut result = Triage::default();
    let mut seen = std::collections::BTreeSet::new();
    for failure in failures {
        let subject = subject(failure);
        if known.contains(subject) {
            seen.insert(subject.to_owned());
            result.known.push(failure.clone());
        } else {
            result.new.push(failure.clone());
        }
    }
    result.fixed = known.iter().filter(|s| !seen.contains(*s)).cloned().collect();
    result
}

/// Percent-decodes a path segment.
fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// Decoded `name=value` pairs of a query string (`+` as space).
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let unplus = |s: &str| decode(&s.replace('+', " "));
            (unplus(name), unplus(value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_triaged_by_subject() {
        let known = parse_known("# known\noperation a\nschema /x # a comment\noperation gone\n");
        let failures = vec![
            "operation a: call 0 (answered 200): wrong".to_owned(),
            "schema /x: instance 1 of /x does not round-trip".to_owned(),
            "operation b: call 1 (answered 404): wrong".to_owned(),
        ];
        let sorted = triage(&failures, &known);
        assert_eq!(sorted.new, vec![failures[2].clone()]);
        assert_eq!(sorted.known.len(), 2);
        assert_eq!(sorted.fixed, vec!["operation gone".to_owned()]);
    }

    #[test]
    fn queries_decode_plus_and_percent() {
        assert_eq!(
            parse_query("a=b+c&d=%2F%3F&e"),
            vec![("a".into(), "b c".into()), ("d".into(), "/?".into()), ("e".into(), String::new())]
        );
    }

    #[test]
    fn errors_must_decode_as_the_declared_variant_with_its_body() {
        let declared = Expected {
            status: 404,
            error_body: Some(serde_json::json!({"error": {"code": "not_found"}})),
            ..Expected::default()
        };
        let typed = serde_json::json!({
            "status": 404,
            "declared": {"status": 404, "body": {"error": {"code": "not_found"}}},
            "message": "m",
        });
        assert!(error_problems(&declared, &typed).is_empty());
        let untyped = serde_json::json!({"status": 404, "declared": null, "message": "m"});
        assert!(error_problems(&declared, &untyped)[0].contains("expected the declared 404 error"));
        let other_body = serde_json::json!({"status": 404, "declared": {"status": 404, "body": {"error": {}}}, "message": "m"});
        assert!(error_problems(&declared, &other_body)[0].contains("differs at `.error.code`"));

        let undeclared = Expected {
            status: 418,
            undeclared: true,
            ..Expected::default()
        };
        let unexpected = serde_json::json!({"status": 418, "declared": null, "message": "m"});
        assert!(error_problems(&undeclared, &unexpected).is_empty());
        let misread = serde_json::json!({"status": 418, "declared": {"status": 400, "body": null}, "message": "m"});
        assert_eq!(error_problems(&undeclared, &misread).len(), 1);
        let wrong_status = serde_json::json!({"status": 500, "declared": null, "message": "m"});
        assert_eq!(error_problems(&undeclared, &wrong_status).len(), 1);
    }

    #[test]
    fn schema_failures_name_the_pointer_and_path() {
        let case = SchemaCase {
            pointer: "/components/schemas/A".to_owned(),
            instances: vec![serde_json::json!({"a": 1})],
            forward: vec![serde_json::json!({"a": 1, "x": 2})],
            invalid: Vec::new(),
        };
        let passed = serde_json::json!({"instances": [{"ok": {"a": 1.0}}], "forward": [{"ok": {}}]});
        let locate = |path: &str| format!("/components/schemas/A{path}");
        assert!(schema_failures(&case, &passed, &locate).is_empty());
        let failed = serde_json::json!({"instances": [{"ok": {"a": 2}}], "forward": [{"error": "no"}]});
        let failures = schema_failures(&case, &failed, &locate);
        assert_eq!(failures.len(), 2);
        assert!(failures[0].contains("/components/schemas/A") && failures[0].contains("`.a`"));
    }
}
