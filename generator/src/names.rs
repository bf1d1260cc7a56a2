//! Turning names from the document into Rust identifiers.
//!
//! Every function here is pure: the same input always gives the same
//! identifier, so generated names are deterministic. Uniqueness inside a
//! scope is handled by [`Scope`].

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved Rust keywords (all editions), which cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final",
    "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Type names that would shadow prelude or std items used by generated code.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self", "Result", "Option", "Some", "None", "Ok", "Err", "String", "Box", "Vec", "Client",
    "Error", "Value", "Map", "BTreeMap", "HashMap", "Bytes", "Send", "Sync", "Sized", "Default",
    "Clone", "Copy", "Debug", "Serialize", "Deserialize", "Future", "IntoFuture", "Pin",
    // What the crate root re-exports from the runtime.
    "ClientBuilder", "JsonStream", "RetryPolicy", "BoxFuture",
];

/// Words for characters that carry the meaning of an otherwise symbolic enum value.
const SYMBOL_WORDS: &[(char, &str)] = &[
    ('*', "Star"),
    ('+', "Plus"),
    ('-', "Minus"),
    ('/', "Slash"),
    ('.', "Dot"),
    ('@', "At"),
    ('#', "Hash"),
    ('$', "Dollar"),
    ('%', "Percent"),
    ('&', "And"),
    ('!', "Bang"),
    ('?', "Question"),
    ('=', "Equals"),
    ('<', "Less"),
    ('>', "Greater"),
    (':', "Colon"),
    ('~', "Tilde"),
    ('^', "Caret"),
    ('|', "Pipe"),
    (' ', "Space"),
    ('_', "Underscore"),
    (',', "Comma"),
];

/// Is `name` a Rust keyword (strict, reserved or edition-dependent)?
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Keeps only characters valid in identifiers, so heck sees word boundaries only.
fn identifier_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Spells out a name made only of symbols (`*` -> `Star`), or `Empty` for "".
fn symbol_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_owned();
    }
    raw.chars()
        .map(|c| {
            SYMBOL_WORDS
                .iter()
                .find(|(symbol, _)| *symbol == c)
                .map_or_else(|| format!("U{:04X}", c as u32), |(_, word)| (*word).to_owned())
        })
        .collect()
}

/// An UpperCamelCase identifier for a type or variant (`billing-plan` -> `BillingPlan`).
///
/// Names that start with a digit get a `V` prefix (`22.x` -> `V22X`), names made only
/// of symbols are spelled out (`*` -> `Star`).
///
/// `Self`, the one keyword an UpperCamelCase name can be, becomes `SelfValue`.
pub fn type_name(raw: &str) -> String {
    let camel = identifier_words(raw).to_upper_camel_case();
    let camel = if camel.is_empty() { symbol_name(raw) } else { camel };
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if is_keyword(&camel) {
        format!("{camel}Value")
    } else {
        camel
    }
}

/// Would `name` shadow a prelude or std item that generated code uses?
pub fn is_reserved_type_name(name: &str) -> bool {
    RESERVED_TYPE_NAMES.contains(&name)
}

/// A type name that is safe at crate level: never a prelude or std name.
pub fn safe_type_name(raw: &str) -> String {
    let name = type_name(raw);
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// A snake_case identifier for a field, argument or method (`billingPlan` -> `billing_plan`).
///
/// Keywords get a trailing underscore (`type` -> `type_`), names starting with a digit an
/// `n` prefix, and names with no letters or digits are spelled out.
pub fn field_name(raw: &str) -> String {
    let snake = identifier_words(raw).to_snake_case();
    let snake = if snake.is_empty() {
        symbol_name(raw).to_snake_case()
    } else {
        snake
    };
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    };
    if is_keyword(&snake) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The singular of an English plural, for naming array items (`secrets` -> `secret`).
///
/// Returns `None` when the word does not look plural, so callers can add `Item` instead.
pub fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    // Plurals the rules below get wrong (`aliases` is not `aliase`s).
    const IRREGULAR: &[(&str, &str)] = &[
        ("aliases", "alias"),
        ("statuses", "status"),
        ("caches", "cache"),
        ("cookies", "cookie"),
        ("movies", "movie"),
        ("indices", "index"),
        ("analyses", "analysis"),
        ("children", "child"),
        ("people", "person"),
    ];
    for (plural, one) in IRREGULAR {
        if lower.ends_with(plural) {
            let stem = &word[..word.len() - plural.len()];
            // Keep the case of the word's first letter (`Aliases` -> `Alias`).
            let one = match word[word.len() - plural.len()..].chars().next() {
                Some(first) if first.is_uppercase() => {
                    let mut chars = one.chars();
                    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
                }
                _ => (*one).to_owned(),
            };
            return Some(format!("{stem}{one}"));
        }
    }
    let keep = ["ss", "us", "is", "os", "as"];
    if lower.len() <= 3 || keep.iter().any(|end| lower.ends_with(end)) {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if lower.ends_with(ending) {
            return Some(word[..word.len() - 2].to_owned());
        }
    }
    word.strip_suffix('s').map(str::to_owned)
}

/// A set of names already taken in one scope (a struct's fields, an enum's variants,
/// the crate's types). Claiming a taken name appends the lowest free number.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// For each name claimed more than once, the number to try next, so that claiming
    /// one name many times stays linear.
    next: BTreeMap<String, usize>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
            next: BTreeMap::new(),
        }
    }

    /// Is `name` already claimed?
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name`, or `name2`, `name3`, ... when it is taken (`name_2` for snake case).
    pub fn claim(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        // `type_` -> `type_2`, not `type__2` (not snake case).
        let separator = if name.ends_with('_') {
            ""
        } else if name.contains('_') || name.starts_with(|c: char| c.is_lowercase()) {
            "_"
        } else {
            ""
        };
        // Names are never released, so the lowest free number is never below the last one found.
        let start = self.next.get(name).copied().unwrap_or(2);
        let (number, candidate) = (start..)
            .map(|n| (n, format!("{name}{separator}{n}")))
            .find(|(_, candidate)| self.taken.insert(candidate.clone()))
            .unwrap_or((start, name.to_owned()));
        self.next.insert(name.to_owned(), number + 1);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_upper_camel_and_never_start_with_a_digit() {
        assert_eq!(type_name("billingPlan"), "BillingPlan");
        assert_eq!(type_name("import-resource"), "ImportResource");
        assert_eq!(type_name("deployment.ready"), "DeploymentReady");
        assert_eq!(type_name("22.x"), "V22X");
        assert_eq!(type_name("image/webp"), "ImageWebp");
        assert_eq!(type_name("*"), "Star");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("__@BRAND@647815"), "Brand647815");
    }

    #[test]
    fn no_type_or_variant_name_is_a_keyword() {
        // Found by the fuzz test: an enum value `self` became the variant `Self`.
        assert_eq!(type_name("self"), "SelfValue");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(type_name("self-hosted"), "SelfHosted");
        for keyword in KEYWORDS {
            assert!(!is_keyword(&type_name(keyword)), "{keyword}");
            assert!(!is_keyword(&field_name(keyword)), "{keyword}");
        }
    }

    #[test]
    fn claiming_one_name_many_times_is_linear_and_numbers_stay_lowest_free() {
        let mut scope = Scope::with_reserved(&["A3"]);
        let names: Vec<String> = (0..5).map(|_| scope.claim("A")).collect();
        assert_eq!(names, ["A", "A2", "A4", "A5", "A6"]);
        let mut big = Scope::default();
        let started = std::time::Instant::now();
        for _ in 0..20_000 {
            big.claim("Value");
        }
        assert!(big.contains("Value20000"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn std_names_are_never_used_for_types() {
        assert_eq!(safe_type_name("result"), "ResultType");
        assert_eq!(safe_type_name("Vec"), "VecType");
        assert_eq!(safe_type_name("project"), "Project");
    }

    #[test]
    fn field_names_are_snake_case_and_never_keywords() {
        assert_eq!(field_name("billingPlan"), "billing_plan");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("gen"), "gen_");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("ui:control"), "ui_control");
        assert_eq!(field_name("exclude-ids"), "exclude_ids");
        assert_eq!(field_name("2fa"), "n2fa");
        assert_eq!(field_name("*"), "star");
    }

    #[test]
    fn plurals_become_singular_and_other_words_do_not() {
        assert_eq!(singular("secrets").as_deref(), Some("secret"));
        assert_eq!(singular("policies").as_deref(), Some("policy"));
        assert_eq!(singular("boxes").as_deref(), Some("box"));
        assert_eq!(singular("status"), None);
        assert_eq!(singular("data"), None);
        assert_eq!(singular("address"), None);
        // Found in the aliases listing: `ListAliasesAliase`.
        assert_eq!(singular("Aliases").as_deref(), Some("Alias"));
        assert_eq!(singular("aliases").as_deref(), Some("alias"));
        assert_eq!(singular("ProjectAliases").as_deref(), Some("ProjectAlias"));
        assert_eq!(singular("Caches").as_deref(), Some("Cache"));
    }

    #[test]
    fn scopes_number_repeated_names() {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        assert_eq!(scope.claim("Unknown"), "Unknown2");
        assert_eq!(scope.claim("Ready"), "Ready");
        assert_eq!(scope.claim("Ready"), "Ready2");
        let mut fields = Scope::default();
        assert_eq!(fields.claim("exclude_ids"), "exclude_ids");
        assert_eq!(fields.claim("exclude_ids"), "exclude_ids_2");
        // Found by the hazards fixture: `type` and `type_` both become `type_`.
        assert_eq!(fields.claim("type_"), "type_");
        assert_eq!(fields.claim("type_"), "type_2");
    }
}
