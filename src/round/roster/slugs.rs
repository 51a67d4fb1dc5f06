//! File names for people: a slug of each name, and numbers for namesakes.

use std::collections::HashMap;

/// A file-name part for a person: ASCII, lowercase, `-` for spaces, never
/// empty and never a path. Danish letters become ae, oe, aa.
pub fn slug(name: &str) -> String {
    let danish: String = name
        .chars()
        .map(|c| match c {
            'æ' => "ae".to_string(),
            'Æ' => "Ae".to_string(),
            'ø' => "oe".to_string(),
            'Ø' => "Oe".to_string(),
            'å' => "aa".to_string(),
            'Å' => "Aa".to_string(),
            other => other.to_string(),
        })
        .collect();
    let ascii = deunicode::deunicode(&danish).to_lowercase();
    let mut slug = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    // Long enough to tell people apart, short enough for any file system.
    let mut slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "uden-navn".to_string()
    } else {
        slug
    }
}

/// The folder of a manager's forms (`--by-manager`): their name's slug,
/// or the language's word for forms with no manager.
pub fn manager_folder(manager: &str, language: crate::language::Language) -> String {
    match manager.trim() {
        "" => language.labels().no_manager_folder.to_string(),
        name => slug(name),
    }
}

/// File-name slugs for people that do not depend on the roster's order:
/// a name met once is its slug (`anna-berg`); namesakes get their unit
/// (`anna-berg-it`, `anna-berg-hr`), and namesakes in one unit also their
/// manager. Only people alike in name, unit and manager are numbered in
/// roster order (`-2`). So re-sorting a roster never gives one person's
/// form to another.
#[derive(Debug, Default)]
pub struct PersonSlugs {
    names: HashMap<String, usize>,
    in_unit: HashMap<(String, String), usize>,
    slugs: UniqueSlugs,
}

impl PersonSlugs {
    /// Counts the people of a roster, `(name, unit)` each, before any slug is made.
    pub fn new<'a>(people: impl IntoIterator<Item = (&'a str, &'a str)>) -> PersonSlugs {
        let mut counts = PersonSlugs::default();
        for (name, unit) in people {
            *counts.names.entry(slug(name)).or_default() += 1;
            *counts.in_unit.entry((slug(name), slug(unit))).or_default() += 1;
        }
        counts
    }

    /// The slug of the next person.
    pub fn next(&mut self, name: &str, unit: &str, manager: &str) -> String {
        let base = slug(name);
        let of_name = self.names.get(&base).copied().unwrap_or(0);
        let of_unit = self
            .in_unit
            .get(&(base.clone(), slug(unit)))
            .copied()
            .unwrap_or(0);
        let person = match (of_name, of_unit) {
            (0..=1, _) => name.to_string(),
            (_, 0..=1) => format!("{name} {unit}"),
            _ => format!("{name} {unit} {manager}"),
        };
        self.slugs.next(&person)
    }
}

/// Slugs for all names, made unique in roster order with `-2`, `-3` ….
pub fn unique_slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut slugs = UniqueSlugs::default();
    names.into_iter().map(|name| slugs.next(name)).collect()
}

/// Hands out slugs unique in the order asked: `anna`, `anna-2`, `anna-3`.
/// It keeps a 64-bit hash of each slug handed out rather than the slug,
/// and a counter only for the bases that came more than once, so a roster
/// of 100,000 people costs about a megabyte, and the same names always get
/// the same slugs. (Two of 100,000 slugs share a key with a chance of about
/// 3 in 10^10; the only harm would be a `-2` on a name that has no namesake.)
#[derive(Debug, Default)]
pub struct UniqueSlugs {
    taken: std::collections::HashSet<u64>,
    /// The last number tried for each base used more than once: a thousand
    /// namesakes cost a thousand steps, not half a million.
    last_tried: HashMap<String, usize>,
}

impl UniqueSlugs {
    /// The slug for the next name.
    pub fn next(&mut self, name: &str) -> String {
        let base = slug(name);
        let mut n = self.last_tried.get(&base).copied().unwrap_or(1);
        let mut candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        while !self.taken.insert(slug_key(&candidate)) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        if n > 1 {
            self.last_tried.insert(base, n);
        }
        candidate
    }
}

/// A slug's 64-bit key: the set of keys stands in for the set of slugs.
fn slug_key(slug: &str) -> u64 {
    let hash = blake3::hash(slug.as_bytes());
    let mut key = [0u8; 8];
    key.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_harmless() {
        assert_eq!(slug("Søren Ærø Åberg"), "soeren-aeroe-aaberg");
        assert_eq!(
            slug("José  Müller-Lüdenscheidt"),
            "jose-muller-ludenscheidt"
        );
        assert_eq!(slug("../../etc/passwd"), "etcpasswd");
        assert_eq!(slug("///"), "uden-navn");
        assert_eq!(slug(&"a".repeat(300)).len(), 60);
    }

    #[test]
    fn duplicates_get_numbers_in_roster_order() {
        assert_eq!(
            unique_slugs(["Anna", "Anna", "anna", "Anna 2"]),
            ["anna", "anna-2", "anna-3", "anna-2-2"]
        );
    }

    #[test]
    fn unique_slugs_keep_no_counter_for_a_name_met_once() {
        let mut slugs = UniqueSlugs::default();
        let names: Vec<String> = ["Bo", "Anna", "Anna", "Carl"]
            .iter()
            .map(|n| slugs.next(n))
            .collect();
        assert_eq!(names, ["bo", "anna", "anna-2", "carl"]);
        assert_eq!(slugs.last_tried.len(), 1, "only `anna` came twice");
    }
}
