//! Which operation replaces a deprecated one, when its description says: Vercel writes
//! "This endpoint is deprecated and replaced with the endpoint [Update Resource
//! Secrets](#update-resource-secrets)", naming the replacement by its summary.

use super::model::Operation;

/// The words that introduce the replacement's name in a description.
const REPLACED_WITH: &str = "replaced with the endpoint ";

/// Sets `replaced_by` of each deprecated operation whose description names, by its
/// summary, exactly one operation that is not deprecated.
pub fn link_replacements(operations: &mut [Operation]) {
    let found: Vec<Option<String>> = operations
        .iter()
        .map(|op| {
            let named = replacement_name(op.description.as_deref()?)?;
            let mut candidates = operations
                .iter()
                .filter(|other| !other.deprecated && other.summary.as_deref().is_some_and(|s| same_name(s, &named)));
            match (op.deprecated, candidates.next(), candidates.next()) {
                (true, Some(replacement), None) => Some(replacement.fn_name.clone()),
                _ => None,
            }
        })
        .collect();
    for (op, replaced_by) in operations.iter_mut().zip(found) {
        op.replaced_by = replaced_by;
    }
}

/// The name after "replaced with the endpoint": a Markdown link's text, or the words
/// up to the end of the sentence.
fn replacement_name(description: &str) -> Option<String> {
    let lower = description.to_ascii_lowercase();
    let rest = &description[lower.find(REPLACED_WITH)? + REPLACED_WITH.len()..];
    let name = match rest.strip_prefix('[') {
        Some(link) => &link[..link.find(']')?],
        None => rest.split(['.', '<', '\n']).next()?,
    };
    Some(name.trim().to_owned()).filter(|name| !name.is_empty())
}

/// Are two names the same, whatever their case and spacing?
fn same_name(a: &str, b: &str) -> bool {
    let words = |text: &str| text.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replacement_is_named_by_a_link_or_by_words() {
        let linked = "This endpoint is deprecated and replaced with the endpoint [Update Resource Secrets](#update-resource-secrets). <br/> This endpoint updates";
        assert_eq!(replacement_name(linked).as_deref(), Some("Update Resource Secrets"));
        let plain = "Deprecated: replaced with the endpoint Buy a domain. Purchases it.";
        assert_eq!(replacement_name(plain).as_deref(), Some("Buy a domain"));
        assert_eq!(replacement_name("Purchases the specified domain."), None);
        assert!(same_name("Buy a  Domain", "buy a domain"));
    }
}
