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
///
/// The people are counted by sorting their slugs, not in a map of them, so
/// 100,000 people with names of their own cost a few megabytes while they
/// are counted and a byte each after (issue 25).
#[derive(Debug, Default)]
pub struct PersonSlugs {
    /// For each person, in the order counted: what their slug needs to tell
    /// them from their namesakes.
    parts: Vec<NameParts>,
    /// The next person's place in `parts`.
    next: usize,
    slugs: UniqueSlugs,
}

/// What a person's slug is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameParts {
    /// No namesake: the name.
    Name,
    /// Namesakes, none in their unit: the name and the unit.
    NameAndUnit,
    /// Namesakes in their unit too: the name, the unit and the manager.
    NameUnitAndManager,
}

impl PersonSlugs {
    /// Counts the people of a roster, `(name, unit)` each, before any slug
    /// is made; [`PersonSlugs::next`] is then asked for them in this order.
    pub fn new<'a>(people: impl IntoIterator<Item = (&'a str, &'a str)>) -> PersonSlugs {
        let mut names = crate::text::PackedStrings::default();
        let mut units: Vec<u32> = Vec::new();
        // A roster has few units; each gets a number by its slug.
        let mut unit_numbers: HashMap<String, u32> = HashMap::new();
        for (name, unit) in people {
            names.push(&slug(name));
            let number = u32::try_from(unit_numbers.len()).unwrap_or(u32::MAX);
            units.push(*unit_numbers.entry(slug(unit)).or_insert(number));
        }
        let count = u32::try_from(names.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..count).collect();
        let key = |i: u32| (names.get(i as usize), units[i as usize]);
        order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
        let mut parts = vec![NameParts::Name; names.len()];
        for namesakes in order.chunk_by(|&a, &b| key(a).0 == key(b).0) {
            if namesakes.len() < 2 {
                continue;
            }
            for in_unit in namesakes.chunk_by(|&a, &b| key(a).1 == key(b).1) {
                let part = match in_unit.len() {
                    1 => NameParts::NameAndUnit,
                    _ => NameParts::NameUnitAndManager,
                };
                for &i in in_unit {
                    parts[i as usize] = part;
                }
            }
        }
        PersonSlugs {
            parts,
            next: 0,
            slugs: UniqueSlugs::default(),
        }
    }

    /// The slug of the next person, in the order they were counted.
    pub fn next(&mut self, name: &str, unit: &str, manager: &str) -> String {
        // One not counted has no namesake that was.
        let part = self
            .parts
            .get(self.next)
            .copied()
            .unwrap_or(NameParts::Name);
        self.next += 1;
        let person = match part {
            NameParts::Name => name.to_string(),
            NameParts::NameAndUnit => format!("{name} {unit}"),
            NameParts::NameUnitAndManager => format!("{name} {unit} {manager}"),
        };
        self.slugs.next(&person)
    }
}

/// For each of `count` people, how many of them up to theirs (in order)
/// have the same unit, name and manager, as [`crate::form::form_id`]
/// compares them (on one line, in any case): namesakes alike in all three
/// still get ids of their own. `person(i)` gives the three of the `i`-th.
/// The people are sorted by the three, their order kept among equals,
/// rather than counted in a map of 100,000 keys (issue 25).
pub fn namesake_numbers<'a>(count: usize, person: impl Fn(usize) -> [&'a str; 3]) -> Vec<u32> {
    use crate::text::folded;
    let compare = |a: u32, b: u32| {
        std::iter::zip(person(a as usize), person(b as usize))
            .map(|(a, b)| folded(a).cmp(folded(b)))
            .find(|ordering| ordering.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    };
    let mut order: Vec<u32> = (0..u32::try_from(count).unwrap_or(u32::MAX)).collect();
    // Stable: among people alike, the first in order comes first.
    order.sort_by(|&a, &b| compare(a, b));
    let mut numbers = vec![0u32; count];
    for alike in order.chunk_by(|&a, &b| compare(a, b).is_eq()) {
        for (nth, &i) in (1..).zip(alike) {
            numbers[i as usize] = nth;
        }
    }
    numbers
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
    fn namesakes_get_their_unit_and_in_one_unit_their_manager_whatever_the_order() {
        let people = [
            ("Anna Berg", "IT", "Bo"),
            ("Carl Holm", "IT", "Bo"),
            ("Anna Berg", "HR", "Eva"),
            ("Åse Lund", "IT", "Bo"),
            ("Aase Lund", "IT", "Ida"),
            ("Anna Berg", "HR", "Finn"),
        ];
        let slugs_of = |people: &[(&str, &str, &str)]| {
            let mut slugs = PersonSlugs::new(people.iter().map(|(n, u, _)| (*n, *u)));
            let mut made: Vec<String> =
                people.iter().map(|(n, u, m)| slugs.next(n, u, m)).collect();
            made.sort();
            made
        };
        let made = slugs_of(&people);
        assert_eq!(
            made,
            [
                "aase-lund-it-bo",
                "aase-lund-it-ida",
                "anna-berg-hr-eva",
                "anna-berg-hr-finn",
                "anna-berg-it",
                "carl-holm",
            ]
        );
        let mut reversed = people;
        reversed.reverse();
        assert_eq!(slugs_of(&reversed), made, "the same slugs in any order");
    }

    #[test]
    fn people_alike_in_unit_name_and_manager_are_numbered_in_order_in_any_case_and_spacing() {
        let people = [
            ["IT", "Anna Berg", "Bo"],
            ["IT", "Carl Holm", "Bo"],
            ["it", "anna  BERG", "bo"],
            ["HR", "Anna Berg", "Bo"],
            ["IT", "Anna Berg", "Bo Lund"],
            ["IT", "Anna Berg", " Bo"],
        ];
        assert_eq!(
            namesake_numbers(people.len(), |i| people[i]),
            [1, 1, 2, 1, 1, 3]
        );
        assert!(namesake_numbers(0, |i| people[i]).is_empty());
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
