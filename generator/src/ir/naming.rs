//! Final type names, chosen once identical shapes are one type.
//!
//! A type may occur in many places; each place suggests a name: a component schema its
//! own name, an operation's body or response `{Operation}{Request|Response}`, a property
//! or an array item a word of its own (`Project` for the items of `projects`,
//! `GitSource` for `gitSource`). The rules, in order:
//!
//! 1. A component schema keeps its name.
//! 2. What several operations on one resource answer with, one of them reading it, is
//!    named by the resource: `getProject`, `createProject` and `updateProject` answer a
//!    `Project`.
//! 3. A word that can stand alone goes to the type that most often occurs under it
//!    (the first met among equals): `Deployment`, `Framework`. Words too vague to stand
//!    alone (`Type`, `Status`, ...) and union variants are always qualified. A type that
//!    is an operation's request body or success answer takes no word: users meet it
//!    there, so it is named by rule 4, not after a property met elsewhere (the
//!    `newTeam` of an event payload).
//! 4. A type that is an operation's body or response is named after the operation.
//! 5. Anything else is its word qualified by the type it occurs in (`ProjectPermissions`),
//!    or by the operation when that type is named after one (`GetInvoiceItem`).
//!
//! A name that is taken falls back to the provisional name the lowering gave (which
//! spells out the path), and only then to a number.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::TypeRef;
use super::schema::{Occurrence, Qualifier, Role};
use crate::names::{is_reserved_type_name, Scope};

/// Words that say too little to name a type on their own.
const VAGUE_WORDS: &[&str] = &[
    "Action", "Any", "Attributes", "Body", "Code", "Condition", "Conditions", "Config", "Configuration",
    "Content", "Count", "Current", "Custom", "Data", "Default", "Details", "Entry", "Entries", "Env",
    "Error", "Errors", "Extra", "Filter", "Filters", "First", "Format", "Group", "Id", "Info", "Input",
    "Item", "Items", "Key", "Kind", "Last", "Level", "Limit", "Limits", "Link", "Links", "List", "Main",
    "Max", "Message", "Meta", "Metadata", "Min", "Mode", "Name", "New", "Next", "Object", "Old",
    "Options", "Other", "Output", "Params", "Parameters", "Payload", "Previous", "Primary", "Private",
    "Properties", "Public", "Query", "Reason", "Request", "Response", "Result", "Role", "Rule", "Rules",
    "Scope", "Settings", "Source", "State", "Stats", "Status", "Summary", "Target", "Total", "Type",
    "Unit", "Units", "Value", "Values", "Version",
];

/// Can `word` name a type on its own?
fn stands_alone(word: &str) -> bool {
    word.len() > 2
        && !VAGUE_WORDS.contains(&word)
        && !is_reserved_type_name(word)
        && !word.ends_with(|c: char| c.is_ascii_digit())
}

/// What the naming pass knows of one type.
pub struct Class<'a> {
    /// The type's provisional name.
    pub provisional: &'a str,
    /// Every place it occurs, its members' places in the order they were met.
    pub occurrences: Vec<&'a Occurrence>,
}

/// The final name of each class, by provisional name.
///
/// `classes` come in the order their types were first met; `reserved` are the names no
/// type may take; `replaced` says what merged or collapsed provisional names became.
pub fn final_names(
    classes: &[Class<'_>],
    reserved: &[String],
    replaced: &BTreeMap<String, TypeRef>,
) -> BTreeMap<String, String> {
    let mut namer = Namer {
        classes,
        index: classes.iter().enumerate().map(|(i, c)| (c.provisional, i)).collect(),
        replaced,
        scope: Scope::with_reserved(&reserved.iter().map(String::as_str).collect::<Vec<_>>()),
        chosen: vec![None; classes.len()],
        in_progress: BTreeSet::new(),
    };
    namer.name_components();
    namer.name_resources();
    namer.name_standalone_words();
    for index in 0..classes.len() {
        namer.name_of(index);
    }
    classes
        .iter()
        .zip(namer.chosen)
        .map(|(class, chosen)| (class.provisional.to_owned(), chosen.map_or_else(|| class.provisional.to_owned(), |c| c.name)))
        .collect()
}

/// A chosen name, and the operation stem it is named after, when it is one's body or
/// response (its children are qualified by the stem, not by `GetInvoiceResponse`).
#[derive(Clone)]
struct Chosen {
    name: String,
    stem: Option<String>,
    /// Named for what it is, not after an operation (`Notification`, `ProjectPermissions`).
    plain: bool,
}

struct Namer<'c, 'a> {
    classes: &'c [Class<'a>],
    index: HashMap<&'a str, usize>,
    replaced: &'c BTreeMap<String, TypeRef>,
    scope: Scope,
    chosen: Vec<Option<Chosen>>,
    in_progress: BTreeSet<usize>,
}

impl Namer<'_, '_> {
    fn choose(&mut self, index: usize, name: String, stem: Option<String>) {
        let plain = stem.is_none();
        self.chosen[index] = Some(Chosen { name, stem, plain });
    }

    /// Claims `wanted`, else the provisional name, else a numbered `wanted`.
    fn claim(&mut self, index: usize, wanted: &str) -> String {
        if !self.scope.contains(wanted) {
            return self.scope.claim(wanted);
        }
        let provisional = self.classes[index].provisional;
        if !self.scope.contains(provisional) {
            return self.scope.claim(provisional);
        }
        self.scope.claim(wanted)
    }

    /// Rule 1: component schemas keep their names.
    fn name_components(&mut self) {
        for index in 0..self.classes.len() {
            let component = self.classes[index].occurrences.iter().find(|o| o.role == Role::Component);
            if let Some(component) = component {
                let name = self.claim(index, &component.provisional.clone());
                self.choose(index, name, None);
            }
        }
    }

    /// Rule 2: what several operations on one resource answer with, one of them reading
    /// it, is named by that resource (`getProject`, `updateProject` -> `Project`),
    /// before any word.
    fn name_resources(&mut self) {
        for index in 0..self.classes.len() {
            if self.chosen[index].is_some() {
                continue;
            }
            let occurrences = &self.classes[index].occurrences;
            let Some(noun) = common_noun(occurrences) else { continue };
            if is_read(occurrences) && !self.scope.contains(&noun) {
                let name = self.scope.claim(&noun);
                self.choose(index, name, None);
            }
        }
    }

    /// Rule 3: each standalone word goes to the type that occurs under it most often,
    /// among those that are no operation's body or answer.
    fn name_standalone_words(&mut self) {
        let mut contenders: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (index, class) in self.classes.iter().enumerate() {
            if self.chosen[index].is_some() || class.occurrences.iter().any(|o| is_operation_face(o)) {
                continue;
            }
            if let Some((word, count)) = favourite_word(&class.occurrences) {
                contenders.entry(word).or_default().push((index, count));
            }
        }
        let mut winners: Vec<(usize, String)> = contenders
            .into_iter()
            .filter_map(|(word, mut entries)| {
                entries.sort_by_key(|&(index, count)| (std::cmp::Reverse(count), index));
                entries.first().map(|&(index, _)| (index, word))
            })
            .collect();
        winners.sort();
        for (index, word) in winners {
            if !self.scope.contains(&word) {
                let name = self.scope.claim(&word);
                self.choose(index, name, None);
            }
        }
    }

    /// Rules 4 and 5, for a class not named yet.
    fn name_of(&mut self, index: usize) -> Chosen {
        if let Some(chosen) = &self.chosen[index] {
            return chosen.clone();
        }
        let class = &self.classes[index];
        let root = class.occurrences.iter().find(|o| o.role == Role::Root).copied();
        if let Some(root) = root {
            if let Some(noun) = common_noun(&class.occurrences).filter(|noun| !self.scope.contains(noun)) {
                let name = self.scope.claim(&noun);
                self.choose(index, name, None);
                return self.chosen[index].clone().unwrap_or_else(|| unreachable_chosen(class));
            }
            let stem = match &root.qualifier {
                Qualifier::Stem(stem) => Some(stem.clone()),
                Qualifier::Type(_) => None,
            };
            let name = self.claim(index, &root.provisional.clone());
            self.choose(index, name, stem);
            self.set_plain(index, false);
            return self.chosen[index].clone().unwrap_or_else(|| unreachable_chosen(class));
        }
        // The places under its favourite word come first: a type that lost `Project` to
        // another is a qualified project (`UserEventPayloadProject`), not another word.
        let favourite = favourite_word(&class.occurrences).map(|(word, _)| word);
        let under_favourite = |o: &&Occurrence| favourite.is_some() && o.bare == favourite;
        let occurrences: Vec<&Occurrence> = class
            .occurrences
            .iter()
            .copied()
            .filter(under_favourite)
            .chain(class.occurrences.iter().copied().filter(|o| !under_favourite(o)))
            .collect();
        let Some(first) = occurrences.first().copied() else {
            let name = self.claim(index, class.provisional);
            self.choose(index, name, None);
            self.set_plain(index, false);
            return self.chosen[index].clone().unwrap_or_else(|| unreachable_chosen(class));
        };
        self.in_progress.insert(index);
        let (prefix, word, plain) = self.best_qualification(&occurrences, first);
        self.in_progress.remove(&index);
        let wanted = qualified(&prefix, &word);
        let name = self.claim(index, &wanted);
        self.choose(index, name, None);
        self.set_plain(index, plain);
        self.chosen[index].clone().unwrap_or_else(|| unreachable_chosen(class))
    }

    /// The place that names a type: the first that sits in a type named for what it is
    /// (`Notification` gives `NotificationLevel`), else the first met, whose operation
    /// then qualifies it.
    fn best_qualification(&mut self, occurrences: &[&Occurrence], first: &Occurrence) -> (String, String, bool) {
        for occurrence in occurrences {
            if let Qualifier::Type(provisional) = &occurrence.qualifier {
                let Some(parent) = self.class_index(provisional) else { continue };
                if self.in_progress.contains(&parent) {
                    continue;
                }
                let chosen = self.name_of(parent);
                if chosen.plain {
                    return (chosen.name, occurrence.word.clone(), true);
                }
            }
        }
        (self.prefix(&first.qualifier), first.word.clone(), false)
    }

    fn set_plain(&mut self, index: usize, plain: bool) {
        if let Some(chosen) = &mut self.chosen[index] {
            chosen.plain = plain;
        }
    }

    /// What a word is qualified with: the operation's stem, or the final name of the
    /// type it occurs in (that type's stem, when it is named after an operation).
    fn prefix(&mut self, qualifier: &Qualifier) -> String {
        match qualifier {
            Qualifier::Stem(stem) => stem.clone(),
            Qualifier::Type(provisional) => {
                let Some(parent) = self.class_index(provisional) else {
                    return provisional.clone();
                };
                if self.in_progress.contains(&parent) {
                    return self.chosen[parent].as_ref().map_or_else(|| provisional.clone(), |c| c.name.clone());
                }
                let chosen = self.name_of(parent);
                chosen.stem.unwrap_or(chosen.name)
            }
        }
    }

    /// The class a provisional name belongs to, following merges.
    fn class_index(&self, provisional: &str) -> Option<usize> {
        if let Some(&index) = self.index.get(provisional) {
            return Some(index);
        }
        match self.replaced.get(provisional) {
            Some(TypeRef::Named(target)) => self.index.get(target.as_str()).copied(),
            _ => None,
        }
    }
}

/// Never reached: `choose` was called just before. Kept total so no input can panic.
fn unreachable_chosen(class: &Class<'_>) -> Chosen {
    Chosen {
        name: class.provisional.to_owned(),
        stem: None,
        plain: false,
    }
}

/// What several operations that share a body or response act on, when their names
/// agree once the verb is left out (`CreateDrain`, `GetDrain`, `UpdateDrain` -> `Drain`).
fn common_noun(occurrences: &[&Occurrence]) -> Option<String> {
    let stems: BTreeSet<&str> = occurrences
        .iter()
        .filter(|o| o.role == Role::Root)
        .filter_map(|o| match &o.qualifier {
            Qualifier::Stem(stem) => Some(stem.as_str()),
            Qualifier::Type(_) => None,
        })
        .collect();
    if stems.len() < 2 {
        return None;
    }
    let mut nouns = stems.iter().map(|stem| without_verb(stem));
    let first = nouns.next()??;
    (nouns.all(|noun| noun == Some(first)) && stands_alone(first)).then(|| first.to_owned())
}

/// Is this place an operation's request body or success answer (or stream item), where
/// users meet the type? Error bodies are not.
pub(super) fn is_operation_face(occurrence: &Occurrence) -> bool {
    occurrence.role == Role::Root && !occurrence.word.ends_with("Error")
}

/// Is one of the places an operation reading the resource answers with it (`GetProject`)?
fn is_read(occurrences: &[&Occurrence]) -> bool {
    occurrences.iter().any(|o| {
        o.role == Role::Root && matches!(&o.qualifier, Qualifier::Stem(stem) if stem.starts_with("Get"))
    })
}

/// An UpperCamelCase name less its first word (`GetDrain` -> `Drain`).
pub(super) fn without_verb(stem: &str) -> Option<&str> {
    let second = stem.char_indices().skip(1).find(|(_, c)| c.is_ascii_uppercase())?.0;
    Some(&stem[second..])
}

/// `prefix + word`, without repeating a prefix the word already starts with
/// (`Project` + `ProjectSettings` -> `ProjectSettings`).
fn qualified(prefix: &str, word: &str) -> String {
    if word.starts_with(prefix) && word.len() > prefix.len() {
        word.to_owned()
    } else {
        format!("{prefix}{word}")
    }
}

/// The standalone word a class occurs under most often (the first met among equals),
/// weighted by how many places the class occurs in.
fn favourite_word(occurrences: &[&Occurrence]) -> Option<(String, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for occurrence in occurrences {
        if !matches!(occurrence.role, Role::Property | Role::Item) {
            continue;
        }
        let Some(word) = occurrence.bare.as_deref().filter(|w| stands_alone(w)) else { continue };
        match counts.iter_mut().find(|(w, _)| *w == word) {
            Some((_, count)) => *count += 1,
            None => counts.push((word, 1)),
        }
    }
    let best = counts.iter().map(|(_, count)| *count).max()?;
    let word = counts.iter().find(|(_, count)| *count == best)?.0;
    Some((word.to_owned(), occurrences.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(role: Role, provisional: &str, word: &str, qualifier: Qualifier) -> Occurrence {
        Occurrence {
            pointer: format!("/{provisional}"),
            role,
            provisional: provisional.to_owned(),
            word: word.to_owned(),
            bare: matches!(role, Role::Property | Role::Item).then(|| word.to_owned()),
            qualifier,
        }
    }

    #[test]
    fn words_go_to_the_most_common_shape_and_others_are_qualified() {
        let stem = |s: &str| Qualifier::Stem(s.to_owned());
        let ty = |s: &str| Qualifier::Type(s.to_owned());
        let occurrences = [
            at(Role::Root, "GetProjectResponse", "Response", stem("GetProject")),
            at(Role::Root, "UpdateProjectResponse", "Response", stem("UpdateProject")),
            at(Role::Item, "GetProjectsProject", "Project", stem("GetProjects")),
            at(Role::Property, "GetProjectPermissions", "Permissions", ty("GetProjectResponse")),
            at(Role::Property, "GetDeploymentProject", "Project", stem("GetDeployment")),
            at(Role::Property, "GetDeploymentStatus", "Status", stem("GetDeployment")),
        ];
        let classes = vec![
            Class { provisional: "GetProjectResponse", occurrences: vec![&occurrences[0], &occurrences[1], &occurrences[2]] },
            Class { provisional: "GetProjectPermissions", occurrences: vec![&occurrences[3]] },
            Class { provisional: "GetDeploymentProject", occurrences: vec![&occurrences[4]] },
            Class { provisional: "GetDeploymentStatus", occurrences: vec![&occurrences[5]] },
        ];
        let names = final_names(&classes, &[], &BTreeMap::new());
        assert_eq!(names["GetProjectResponse"], "Project");
        assert_eq!(names["GetProjectPermissions"], "Permissions");
        assert_eq!(names["GetDeploymentProject"], "GetDeploymentProject");
        assert_eq!(names["GetDeploymentStatus"], "GetDeploymentStatus");
    }

    #[test]
    fn operations_sharing_a_response_name_it_after_what_they_act_on() {
        let stem = |s: &str| Qualifier::Stem(s.to_owned());
        let occurrences = [
            at(Role::Root, "CreateDrainResponse", "Response", stem("CreateDrain")),
            at(Role::Root, "GetDrainResponse", "Response", stem("GetDrain")),
            at(Role::Root, "GetCertByIdResponse", "Response", stem("GetCertById")),
            at(Role::Root, "IssueCertResponse", "Response", stem("IssueCert")),
        ];
        let classes = vec![
            Class { provisional: "CreateDrainResponse", occurrences: vec![&occurrences[0], &occurrences[1]] },
            Class { provisional: "GetCertByIdResponse", occurrences: vec![&occurrences[2], &occurrences[3]] },
        ];
        let names = final_names(&classes, &[], &BTreeMap::new());
        assert_eq!(names["CreateDrainResponse"], "Drain");
        assert_eq!(names["GetCertByIdResponse"], "GetCertByIdResponse");
    }

    #[test]
    fn a_vague_word_is_qualified_by_a_parent_named_for_what_it_is() {
        let stem = |s: &str| Qualifier::Stem(s.to_owned());
        let ty = |s: &str| Qualifier::Type(s.to_owned());
        let occurrences = [
            at(Role::Property, "UpdateInstallationNotification", "Notification", stem("UpdateInstallation")),
            at(Role::Property, "UpdateInstallationNotificationLevel", "Level", ty("UpdateInstallationNotification")),
            at(Role::Property, "ImportResourceNotification", "Notification", stem("ImportResource")),
            at(Role::Property, "ImportResourceNotificationLevel", "Level", ty("ImportResourceNotification")),
            at(Role::Property, "ImportResourceNotification", "Notification", stem("ImportResource")),
        ];
        // Two notification shapes share one level enum; the second occurs more often
        // under `notification`, so it is `Notification`, and the level takes its name.
        let classes = vec![
            Class { provisional: "UpdateInstallationNotification", occurrences: vec![&occurrences[0]] },
            Class { provisional: "UpdateInstallationNotificationLevel", occurrences: vec![&occurrences[1], &occurrences[3]] },
            Class { provisional: "ImportResourceNotification", occurrences: vec![&occurrences[2], &occurrences[4]] },
        ];
        let names = final_names(&classes, &[], &BTreeMap::new());
        assert_eq!(names["ImportResourceNotification"], "Notification");
        assert_eq!(names["UpdateInstallationNotification"], "UpdateInstallationNotification");
        assert_eq!(names["UpdateInstallationNotificationLevel"], "NotificationLevel");
    }

    #[test]
    fn an_operation_body_or_answer_is_named_after_the_operation_not_a_word_met_elsewhere() {
        let stem = |s: &str| Qualifier::Stem(s.to_owned());
        let ty = |s: &str| Qualifier::Type(s.to_owned());
        let occurrences = [
            at(Role::Root, "ImportResourceResponse", "Response", stem("ImportResource")),
            at(Role::Root, "UpdateResourceResponse", "Response", stem("UpdateResource")),
            at(Role::Property, "UserEventPayloadNewTeam", "NewTeam", ty("UserEventPayload")),
            at(Role::Root, "GetTeamBadRequestError", "BadRequestError", stem("GetTeam")),
            at(Role::Property, "UserEventPayloadOldTeam", "OldTeam", ty("UserEventPayload")),
        ];
        let classes = vec![
            Class { provisional: "ImportResourceResponse", occurrences: vec![&occurrences[0], &occurrences[1], &occurrences[2]] },
            // An error body is not where users meet a type: the word still names it.
            Class { provisional: "GetTeamBadRequestError", occurrences: vec![&occurrences[3], &occurrences[4]] },
        ];
        // `Resource` names another type already.
        let names = final_names(&classes, &["Resource".to_owned()], &BTreeMap::new());
        assert_eq!(names["ImportResourceResponse"], "ImportResourceResponse");
        assert_eq!(names["GetTeamBadRequestError"], "OldTeam");
    }

    #[test]
    fn qualified_names_do_not_repeat_their_prefix() {
        assert_eq!(qualified("Project", "ProjectSettings"), "ProjectSettings");
        assert_eq!(qualified("Project", "Permissions"), "ProjectPermissions");
        assert_eq!(qualified("Project", "Project"), "ProjectProject");
    }

    #[test]
    fn vague_words_do_not_stand_alone() {
        assert!(!stands_alone("Type"));
        assert!(!stands_alone("Id"));
        assert!(!stands_alone("Option"));
        assert!(stands_alone("Framework"));
        assert!(stands_alone("GitSource"));
    }
}
