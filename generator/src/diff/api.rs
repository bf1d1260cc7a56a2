//! The public Rust API of a generated crate, as an outline read from its sources with
//! syn, and the comparison of two outlines under Rust's semver rules.
//!
//! An outline maps each public item path to its signature: modules, structs and their
//! public fields, enums and their variants, type aliases, functions and methods
//! (`Client::get_projects`, builder setters), derived and implemented traits. The
//! hand-written runtime is the same for every document and is left out.
//!
//! A struct or enum users may rely on knowing in full also lists the member
//! `Type: exhaustive`: an enum without `#[non_exhaustive]` (matches may list every
//! variant), a struct without it whose fields are all public (struct literals build it).
//! A new field or variant of such a type breaks code; on any other type it is an
//! addition. A type that gains `#[non_exhaustive]` (or a private field) loses the member,
//! which breaks; one that drops it gains the member, an addition.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use serde::Serialize;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

/// The public API of a generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Item path (`marketplace::ImportResourceRequest.name`) -> signature, including
    /// the `Type: exhaustive` members (see [`exhaustive_member`]).
    pub items: BTreeMap<String, String>,
    /// The paths of enum variants (`m::E::V`), told apart from the enum's methods
    /// (`m::E::as_str`), which share their path form.
    pub variants: BTreeSet<String>,
}

impl Outline {
    /// Can users rely on knowing every field (struct) or variant (enum) of the type at
    /// `path`, so that a new one breaks their code?
    pub fn is_exhaustive(&self, path: &str) -> bool {
        self.items.contains_key(&exhaustive_member(path))
    }
}

/// The name of the member that marks a type as exhaustive.
pub const EXHAUSTIVE: &str = "exhaustive";

/// The path of the member marking the type at `path` as exhaustive: `m::S: exhaustive`.
pub fn exhaustive_member(path: &str) -> String {
    format!("{path}: {EXHAUSTIVE}")
}

/// Can code outside the crate build this struct with a struct literal (no
/// `#[non_exhaustive]`, no private field)?
fn struct_is_exhaustive(s: &syn::ItemStruct) -> bool {
    !has_attr(&s.attrs, "non_exhaustive") && s.fields.iter().all(|field| is_pub(&field.vis))
}

/// Can code outside the crate match this enum exhaustively (no `#[non_exhaustive]`)?
fn enum_is_exhaustive(e: &syn::ItemEnum) -> bool {
    !has_attr(&e.attrs, "non_exhaustive")
}

/// A generated source file that does not parse (a generator bug).
#[derive(Debug, thiserror::Error)]
#[error("{file}: {source}")]
pub struct OutlineError {
    /// The file.
    pub file: String,
    /// What syn reported.
    #[source]
    pub source: syn::Error,
}

/// Reads the outline of generated sources (paths relative to `src/` -> contents).
pub fn outline(sources: &BTreeMap<String, String>) -> Result<Outline, OutlineError> {
    let mut outline = Outline::default();
    for (path, text) in sources {
        let Some(module) = module_of(path) else { continue };
        let file = syn::parse_file(text).map_err(|source| OutlineError {
            file: path.clone(),
            source,
        })?;
        for item in &file.items {
            outline.item(&module, item);
        }
    }
    Ok(outline)
}

/// The module path of a generated file: `""` for `lib.rs`, `projects` for `projects.rs`;
/// `None` for the runtime and anything that is not a top-level Rust file.
fn module_of(path: &str) -> Option<String> {
    if path == "lib.rs" {
        return Some(String::new());
    }
    let stem = path.strip_suffix(".rs")?;
    (!stem.contains('/')).then(|| stem.to_owned())
}

/// `module::name`, or `name` at the crate root.
fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}

/// Tokens as compact text: `Vec<String>`, `&'a str`, `Option<crate::shared::Pagination>`.
pub fn tidy(tokens: impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut out = text
        .replace("# [", "#[")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" : ", ": ")
        .replace("& '", "&'")
        .replace("& ", "&")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(",)", ")")
        .replace(",>", ">");
    if out.starts_with("::") {
        out.insert(0, ' ');
    }
    out.trim().to_owned()
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn has_attr(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

/// The traits named in `#[derive(..)]` attributes, by their last path segment.
fn derives(attrs: &[Attribute]) -> Vec<String> {
    let mut found = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                found.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    found
}

/// The `#[cfg(..)]` attributes, as text.
fn cfgs(attrs: &[Attribute]) -> String {
    let cfg: Vec<String> = attrs.iter().filter(|a| a.path().is_ident("cfg")).map(tidy).collect();
    cfg.join(" ")
}

impl Outline {
    fn add(&mut self, path: String, signature: String) {
        self.items.insert(path, signature);
    }

    fn item(&mut self, module: &str, item: &Item) {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                let signature = format!("{} pub mod {}", cfgs(&m.attrs), m.ident);
                self.add(join(module, &m.ident.to_string()), signature.trim().to_owned());
            }
            Item::Use(u) if is_pub(&u.vis) => {
                let tree = tidy(&u.tree);
                self.add(join(module, &format!("use {tree}")), format!("pub use {tree}"));
            }
            Item::Struct(s) if is_pub(&s.vis) => self.structure(module, s),
            Item::Enum(e) if is_pub(&e.vis) => self.enumeration(module, e),
            Item::Type(t) if is_pub(&t.vis) => {
                let path = join(module, &t.ident.to_string());
                self.add(path, format!("pub type {}{} = {}", t.ident, tidy(&t.generics), tidy(&t.ty)));
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                self.add(join(module, &f.sig.ident.to_string()), format!("pub {}", tidy(&f.sig)));
            }
            Item::Const(c) if is_pub(&c.vis) => {
                self.add(join(module, &c.ident.to_string()), format!("pub const {}: {}", c.ident, tidy(&c.ty)));
            }
            Item::Impl(i) => self.implementation(module, i),
            _ => {}
        }
    }

    /// Derived traits, recorded as implemented: whether a trait is derived or written
    /// out is no concern of the crate's users.
    fn traits(&mut self, path: &str, attrs: &[Attribute]) {
        for name in derives(attrs) {
            self.add(format!("{path}: {name}"), "implemented".to_owned());
        }
    }

    fn structure(&mut self, module: &str, s: &syn::ItemStruct) {
        let path = join(module, &s.ident.to_string());
        self.add(path.clone(), format!("pub struct {}{}", s.ident, tidy(&s.generics)));
        self.traits(&path, &s.attrs);
        for (index, field) in s.fields.iter().enumerate() {
            if !is_pub(&field.vis) {
                continue;
            }
            let name = field.ident.as_ref().map_or_else(|| index.to_string(), ToString::to_string);
            self.add(format!("{path}.{name}"), format!("pub {name}: {}", tidy(&field.ty)));
        }
        if struct_is_exhaustive(s) {
            let meaning = "struct literals build it (no #[non_exhaustive], no private field)";
            self.add(exhaustive_member(&path), meaning.to_owned());
        }
    }

    fn enumeration(&mut self, module: &str, e: &syn::ItemEnum) {
        let path = join(module, &e.ident.to_string());
        self.add(path.clone(), format!("pub enum {}{}", e.ident, tidy(&e.generics)));
        self.traits(&path, &e.attrs);
        for variant in &e.variants {
            let payload = match &variant.fields {
                Fields::Unit => String::new(),
                fields => tidy(fields),
            };
            let variant_path = format!("{path}::{}", variant.ident);
            self.add(variant_path.clone(), format!("{}{payload}", variant.ident));
            self.variants.insert(variant_path);
        }
        if enum_is_exhaustive(e) {
            let meaning = "matches may list every variant (no #[non_exhaustive])";
            self.add(exhaustive_member(&path), meaning.to_owned());
        }
    }

    /// Public methods of inherent impls, and the traits (with their associated types) of
    /// trait impls. Methods on `crate::Client` are listed under `Client`, their signature
    /// starting with the module (and so the Cargo feature) that defines them.
    fn implementation(&mut self, module: &str, i: &syn::ItemImpl) {
        let self_ty = tidy(&i.self_ty);
        let owner = match self_ty.strip_prefix("crate::") {
            Some(root) => root.to_owned(),
            None => join(module, &self_ty),
        };
        let owner = strip_generics(&owner);
        if let Some((_, trait_path, _)) = &i.trait_ {
            let name = trait_path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            self.add(format!("{owner}: {name}"), "implemented".to_owned());
            for item in &i.items {
                if let ImplItem::Type(t) = item {
                    self.add(format!("{owner}: {name}::{}", t.ident), tidy(&t.ty));
                }
            }
            return;
        }
        for item in &i.items {
            if let ImplItem::Fn(f) = item {
                if is_pub(&f.vis) {
                    let deprecated = if has_attr(&f.attrs, "deprecated") { "#[deprecated] " } else { "" };
                    let signature = if self_ty.starts_with("crate::") && !module.is_empty() {
                        format!("[{module}] {deprecated}pub {}", tidy(&f.sig))
                    } else {
                        format!("{deprecated}pub {}", tidy(&f.sig))
                    };
                    self.add(format!("{owner}::{}", f.sig.ident), signature);
                }
            }
        }
    }
}

/// `projects::GetProjectsBuilder<'a>` -> `projects::GetProjectsBuilder`.
fn strip_generics(path: &str) -> String {
    path.split('<').next().unwrap_or(path).to_owned()
}

/// How a public item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApiChangeKind {
    /// The item is gone: code using it no longer compiles.
    Removed,
    /// Its signature changed: code using it may no longer compile.
    Changed,
    /// A new item that still breaks existing code: a field of a struct users build with
    /// a struct literal, or a variant of an enum users match exhaustively (a type
    /// without `#[non_exhaustive]`).
    AddedBreaking,
    /// A new item: a type, a method (a setter, a constructor), a field or variant of a
    /// `#[non_exhaustive]` type, a type's `exhaustive` member when it drops the attribute.
    Added,
}

impl ApiChangeKind {
    /// Does this kind need a major version?
    pub fn is_breaking(self) -> bool {
        !matches!(self, ApiChangeKind::Added)
    }
}

/// One difference between two outlines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ApiChange {
    /// Removed, changed, added.
    pub kind: ApiChangeKind,
    /// The item path.
    pub path: String,
    /// The old signature (none when added).
    pub old: Option<String>,
    /// The new signature (none when removed).
    pub new: Option<String>,
}

/// The type a field (`m::S.f` -> `m::S`) or a variant of `outline` (`m::E::V` -> `m::E`)
/// belongs to; `None` for any other item (a method, a trait, a type).
fn field_or_variant_owner<'p>(outline: &Outline, path: &'p str) -> Option<&'p str> {
    if outline.variants.contains(path) {
        return path.rsplit_once("::").map(|(owner, _)| owner);
    }
    if path.contains(": ") {
        return None;
    }
    path.rsplit_once('.').map(|(owner, _)| owner)
}

/// Does adding `path` (an item of `new`) break code written against `old`: is it a field
/// or variant of a type that was exhaustive in `old`?
fn breaking_addition(old: &Outline, new: &Outline, path: &str) -> bool {
    field_or_variant_owner(new, path).is_some_and(|owner| old.is_exhaustive(owner))
}

/// The changes from `old` to `new`, sorted by kind then path.
pub fn compare_outlines(old: &Outline, new: &Outline) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    for (path, before) in &old.items {
        match new.items.get(path) {
            None => changes.push(ApiChange {
                kind: ApiChangeKind::Removed,
                path: path.clone(),
                old: Some(before.clone()),
                new: None,
            }),
            Some(after) if after != before => changes.push(ApiChange {
                kind: ApiChangeKind::Changed,
                path: path.clone(),
                old: Some(before.clone()),
                new: Some(after.clone()),
            }),
            Some(_) => {}
        }
    }
    for (path, after) in &new.items {
        if old.items.contains_key(path) {
            continue;
        }
        let kind = if breaking_addition(old, new, path) {
            ApiChangeKind::AddedBreaking
        } else {
            ApiChangeKind::Added
        };
        changes.push(ApiChange {
            kind,
            path: path.clone(),
            old: None,
            new: Some(after.clone()),
        });
    }
    changes.sort();
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline_of(module: &str, code: &str) -> Outline {
        let sources = BTreeMap::from([(format!("{module}.rs"), code.to_owned())]);
        outline(&sources).expect("parses")
    }

    #[test]
    fn lists_public_items_with_signatures() {
        let o = outline_of(
            "m",
            r#"
            #[derive(Debug, Clone, Default)]
            pub struct S { pub a: Vec<String>, #[serde(default)] pub b: Option<crate::shared::P> }
            pub enum E { A, B(String) }
            pub struct Builder<'a> { client: &'a crate::Client, x: Option<i64> }
            impl crate::Client { pub fn op(&self, id: impl Into<String>) -> Builder<'_> { Builder { client: self, x: None } } fn hidden(&self) {} }
            impl<'a> Builder<'a> { pub fn x(mut self, x: i64) -> Self { self } }
            impl<'a> std::future::IntoFuture for Builder<'a> { type Output = crate::Result<S>; }
            struct Private;
            "#,
        );
        let items: Vec<String> = o.items.iter().map(|(k, v)| format!("{k} => {v}")).collect();
        insta::assert_snapshot!(items.join("\n"), @r"
        Client::op => [m] pub fn op(&self, id: impl Into<String>) -> Builder<'_>
        m::Builder => pub struct Builder<'a>
        m::Builder: IntoFuture => implemented
        m::Builder: IntoFuture::Output => crate::Result<S>
        m::Builder::x => pub fn x(mut self, x: i64) -> Self
        m::E => pub enum E
        m::E: exhaustive => matches may list every variant (no #[non_exhaustive])
        m::E::A => A
        m::E::B => B(String)
        m::S => pub struct S
        m::S.a => pub a: Vec<String>
        m::S.b => pub b: Option<crate::shared::P>
        m::S: Clone => implemented
        m::S: Debug => implemented
        m::S: Default => implemented
        m::S: exhaustive => struct literals build it (no #[non_exhaustive], no private field)
        ");
        assert!(o.is_exhaustive("m::S"));
        assert!(!o.is_exhaustive("m::Builder"), "private fields");
        assert!(o.is_exhaustive("m::E"));
        assert_eq!(o.variants, BTreeSet::from(["m::E::A".to_owned(), "m::E::B".to_owned()]));
    }

    #[test]
    fn non_exhaustive_types_have_no_exhaustive_member() {
        let o = outline_of("m", "#[non_exhaustive] pub struct S { pub a: u8 } #[non_exhaustive] pub enum E { A }");
        assert!(!o.is_exhaustive("m::S") && !o.is_exhaustive("m::E"), "{:#?}", o.items);
        assert!(!o.items.keys().any(|path| path.ends_with(EXHAUSTIVE)), "{:#?}", o.items);
    }

    #[test]
    fn the_runtime_is_left_out() {
        let sources = BTreeMap::from([("runtime/client.rs".to_owned(), "pub struct Client;".to_owned())]);
        assert!(outline(&sources).unwrap().items.is_empty());
    }

    #[test]
    fn classifies_removals_changes_and_additions() {
        let old = outline_of("m", "pub struct S { pub a: String } pub enum E { A } pub struct T(u8, u8); #[non_exhaustive] pub enum F { A }");
        let new = outline_of(
            "m",
            "pub struct S { pub a: i64, pub b: String } pub enum E { A, B } pub struct T(u8, u8); #[non_exhaustive] pub enum F { A, B } pub struct N;",
        );
        let found: Vec<(ApiChangeKind, String)> =
            compare_outlines(&old, &new).into_iter().map(|c| (c.kind, c.path)).collect();
        assert_eq!(
            found,
            vec![
                (ApiChangeKind::Changed, "m::S.a".to_owned()),
                (ApiChangeKind::AddedBreaking, "m::E::B".to_owned()),
                (ApiChangeKind::AddedBreaking, "m::S.b".to_owned()),
                (ApiChangeKind::Added, "m::F::B".to_owned()),
                (ApiChangeKind::Added, "m::N".to_owned()),
                (ApiChangeKind::Added, "m::N: exhaustive".to_owned()),
            ]
        );
        let removed = compare_outlines(&new, &old);
        assert!(removed.iter().any(|c| c.kind == ApiChangeKind::Removed && c.path == "m::N"));
    }

    #[test]
    fn identical_outlines_have_no_changes() {
        let o = outline_of("m", "pub struct S { pub a: String }");
        assert!(compare_outlines(&o, &o).is_empty());
    }

    #[test]
    fn a_file_that_does_not_parse_names_itself() {
        let sources = BTreeMap::from([("m.rs".to_owned(), "pub struct {".to_owned())]);
        assert!(outline(&sources).unwrap_err().to_string().starts_with("m.rs:"));
    }
}
