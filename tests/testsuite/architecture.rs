//! The layout holds: no module of the library imports one that imports it
//! back, directly or round a longer loop, and every import points down the
//! layer table ([`LAYERS`]). Imports are read from the source (`use
//! crate::…`, `crate::…` paths in code, `super::…`, and a folder's `mod.rs`
//! naming its children), so the test needs no tool.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::*;

/// A module's path (`pipeline::render::docx`) for each library source file.
fn modules(src: &Path) -> BTreeMap<String, String> {
    crate_modules(src, false)
}

/// The same for the library or, with `binary`, for the binary (`main.rs`,
/// `cli.rs`, `cmd/`), each crate's root file as the module `""`.
fn crate_modules(src: &Path, binary: bool) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for file in files_below(src) {
        let rel = file.strip_prefix(src).expect("below src");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let in_binary = rel == "main.rs" || rel == "cli.rs" || rel.starts_with("cmd/");
        if !rel.ends_with(".rs") || in_binary != binary {
            continue;
        }
        let path = rel
            .trim_end_matches(".rs")
            .trim_end_matches("/mod")
            .replace('/', "::");
        let path = if path == "lib" || path == "main" {
            String::new()
        } else {
            path
        };
        let text = std::fs::read_to_string(&file).expect("source");
        found.insert(path, text);
    }
    found
}

/// The text without comments and string literals, so a path in a doc
/// comment or a message is not taken for an import.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('x', '\n', '"') or a lifetime ('a).
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with('\\') {
                    for c in chars.by_ref() {
                        if c == '\'' {
                            break;
                        }
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.next();
                    chars.next();
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every path a source names, with `{a, b::c}` groups spread out:
/// `crate::form::{labels, InfoValues}` gives `crate::form::labels` and
/// `crate::form::InfoValues`.
fn paths(code: &str, start: &str) -> Vec<String> {
    paths_at(code, start).into_iter().map(|(_, p)| p).collect()
}

/// [`paths`], each with where it starts in `code`.
fn paths_at(code: &str, start: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(i) = code[at..].find(start) {
        let begin = at + i;
        at = begin + start.len();
        // Part of a longer path (`super::super::x`, `a_crate::`): not a start.
        if begin > 0
            && (bytes[begin - 1].is_ascii_alphanumeric() || b"_:".contains(&bytes[begin - 1]))
        {
            continue;
        }
        let mut end = at;
        let mut depth = 0;
        while end < code.len() {
            let c = bytes[end];
            match c {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b'}' => break,
                b',' | b';' | b')' | b'(' | b'<' | b'>' | b'!' | b'=' | b'&' | b'.' | b'|'
                | b'[' | b']'
                    if depth == 0 =>
                {
                    break;
                }
                _ => {}
            }
            end += 1;
            if depth == 0 && c.is_ascii_whitespace() && !code[end..].trim_start().starts_with("::")
            {
                break;
            }
        }
        let mut spread = Vec::new();
        expand(&code[begin..end], &mut spread);
        found.extend(spread.into_iter().map(|p| (begin, p)));
        at = end.max(at);
    }
    found
}

fn expand(tree: &str, found: &mut Vec<String>) {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    match tree.find('{') {
        None => found.push(tree),
        Some(open) => {
            let prefix = &tree[..open];
            let inner = tree[open + 1..].trim_end_matches('}');
            let mut depth = 0;
            let mut part = String::new();
            for c in inner.chars().chain(std::iter::once(',')) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !part.is_empty() {
                            expand(&format!("{prefix}{part}"), found);
                        }
                        part.clear();
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
        }
    }
}

/// Where inline modules (`mod tests { … }`) stand in `code`: inside one,
/// the first `super` means the file's own module.
fn inline_modules(code: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut at = 0;
    while let Some(i) = code[at..].find("mod ") {
        let begin = at + i;
        at = begin + 4;
        let rest = &code[at..];
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if !rest[name_len..].trim_start().starts_with('{') {
            continue;
        }
        let open = at + name_len + rest[name_len..].find('{').unwrap_or(0);
        let mut depth = 0;
        for (j, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        ranges.push((open, open + j));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    ranges
}

/// The module a path names: its longest prefix that is a module.
fn resolve(path: &[&str], modules: &BTreeMap<String, String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|p| modules.contains_key(p))
        // `crate::Result`: an item of the root itself.
        .or_else(|| modules.contains_key("").then(String::new))
}

/// Edges `from → to`: `from` imports `to`.
fn imports(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    // `pub use pipeline::{config, …}` in lib.rs: `crate::config` is `pipeline::config`.
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for path in paths(&code_only(&modules[""]), "pub use ") {
        let path = path.trim_start_matches("pubuse");
        if let Some(last) = path.rsplit("::").next()
            && modules.contains_key(path)
        {
            aliases.insert(last.to_string(), path.to_string());
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in modules {
        let code = code_only(text);
        let here: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
        let is_folder = modules
            .keys()
            .any(|m| m.starts_with(&format!("{module}::")));
        let mut targets = Vec::new();
        for path in paths(&code, "crate::") {
            let mut parts: Vec<&str> = path.split("::").skip(1).collect();
            if let Some(real) = parts.first().and_then(|p| aliases.get(*p)) {
                let mut full: Vec<&str> = real.split("::").collect();
                full.extend(&parts[1..]);
                parts = full;
            }
            targets.push(parts.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        }
        // `super::x` is relative to the parent (of a file; a folder's mod.rs is the folder itself).
        let inline = inline_modules(&code);
        for (at, path) in paths_at(&code, "super::") {
            let mut base: Vec<String> = here.iter().map(|s| s.to_string()).collect();
            let mut within_file = inline.iter().filter(|(a, b)| *a < at && at < *b).count();
            let mut parts = path.split("::").peekable();
            while parts.peek() == Some(&"super") {
                parts.next();
                if within_file > 0 {
                    within_file -= 1;
                } else {
                    base.pop();
                }
            }
            base.extend(parts.map(str::to_string));
            targets.push(base);
        }
        // A folder's mod.rs using its children by name (`docx::build`).
        if is_folder {
            for child in modules
                .keys()
                .filter_map(|m| {
                    m.strip_prefix(&format!("{module}::"))
                        .map(|c| c.to_string())
                })
                .filter(|c| !c.contains("::"))
            {
                if !paths(&code, &format!("{child}::")).is_empty() {
                    let mut target: Vec<String> = here.iter().map(|s| s.to_string()).collect();
                    target.push(child);
                    targets.push(target);
                }
            }
        }
        for target in targets {
            let parts: Vec<&str> = target.iter().map(String::as_str).collect();
            if let Some(to) = resolve(&parts, modules)
                && to != *module
            {
                edges.entry(module.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// A loop of imports, if there is one, as the modules along it.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

fn name(module: &str) -> &str {
    if module.is_empty() {
        "crate (lib.rs)"
    } else {
        module
    }
}

/// The library's modules and their sources.
fn library() -> BTreeMap<String, String> {
    // `#[macro_export]` puts `msg!` at the crate root, but it is defined in
    // (and expands to a call into) `messages`: count it as an import of that.
    modules(&root().join("src"))
        .into_iter()
        .map(|(name, text)| (name, text.replace("crate::msg!", "crate::messages::msg!")))
        .collect()
}

/// The layers of the library, lowest first: a module may import modules of
/// its own layer and of those below it, never one above. An entry stands
/// for the module and everything inside it. The leaves know no stage; the
/// pipeline's stages come in the order data flows through them; the round
/// (after the interviews) uses the pipeline; `project` loads it all for a
/// command. The binary (`main.rs`, `cli.rs`, `cmd/`) sits above them all,
/// and the library cannot name it.
const LAYERS: &[&[&str]] = &[
    &[
        "dates", "error", "form", "language", "limits", "messages", "platform", "text",
    ],
    // Reads YAML with line and column for the stages that read YAML.
    &["pipeline::yaml"],
    &["pipeline::catalogue"],
    &["pipeline::config"],
    // The JSON Schema of the config.
    &["pipeline::schema"],
    &["pipeline::plan"],
    // The templates and the house file, both read here.
    &["pipeline::render"],
    &["pipeline::write"],
    // `mus check` plans a config and reads its house file as `generate` does.
    &["pipeline::check"],
    &["pipeline::generate", "pipeline"],
    &["round"],
    &["project"],
];

/// Where `module` stands in `layers`: the index of the layer whose entry is
/// the longest that holds it. A folder the table divides (`pipeline`) holds
/// only its own `mod.rs`: each module in it needs its own entry, so a new
/// stage is placed on purpose.
fn layer_of(module: &str, layers: &[&[&str]]) -> Option<usize> {
    let holds = |entry: &str| module == entry || module.starts_with(&format!("{entry}::"));
    let divided = |entry: &str| {
        layers
            .iter()
            .flat_map(|l| l.iter())
            .any(|e| e.starts_with(&format!("{entry}::")))
    };
    layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |e| (i, *e)))
        .filter(|(_, e)| holds(e) && (module == *e || !divided(e)))
        .max_by_key(|(_, e)| e.len())
        .map(|(i, _)| i)
}

/// Each import that points up the layer table, and each module the table
/// does not place, as a line for the failure message.
fn against_the_layers(
    edges: &BTreeMap<String, BTreeSet<String>>,
    layers: &[&[&str]],
) -> Vec<String> {
    let mut found = Vec::new();
    let mut named: BTreeSet<&str> = edges.keys().map(String::as_str).collect();
    named.extend(edges.values().flatten().map(String::as_str));
    for module in named.iter().filter(|m| !m.is_empty()) {
        if layer_of(module, layers).is_none() {
            found.push(format!(
                "`{module}` has no place in the layer table (add it to LAYERS)"
            ));
        }
    }
    for (from, to) in edges
        .iter()
        .flat_map(|(f, t)| t.iter().map(move |t| (f, t)))
    {
        if let (Some(low), Some(high)) = (layer_of(from, layers), layer_of(to, layers))
            && high > low
        {
            found.push(format!(
                "`{from}` (layer {low}) uses `{to}` (layer {high}), a layer above it"
            ));
        }
    }
    found
}

#[test]
fn every_import_points_down_the_layer_table() {
    let mut edges = imports(&library());
    edges.remove(""); // lib.rs, the front door, names every module
    let wrong = against_the_layers(&edges, LAYERS);
    assert!(
        wrong.is_empty(),
        "imports against the layers (move the code down, or the use up):\n{}",
        wrong.join("\n")
    );
}

/// The binary's layers: the clap types know no command; each command, and
/// `main.rs` above them, may use them. The whole library is below both.
const BINARY_LAYERS: &[&[&str]] = &[&["cli"], &["cmd"]];

#[test]
fn the_binary_imports_point_down_too() {
    let mut edges = imports(&crate_modules(&root().join("src"), true));
    assert!(edges.contains_key("cmd::generate"), "reads src/cmd/");
    edges.remove(""); // main.rs, above everything
    let wrong = against_the_layers(&edges, BINARY_LAYERS);
    assert!(
        wrong.is_empty(),
        "imports against the binary's layers:\n{}",
        wrong.join("\n")
    );
}

/// The layer check fails on an upward use, also between two stages of the
/// pipeline, and on a module the table does not place.
#[test]
fn the_layer_check_fails_on_an_upward_use() {
    let modules: BTreeMap<String, String> = [
        ("", "pub mod form;\npub mod pipeline;\npub mod project;\n"),
        ("form", "use crate::pipeline::plan::Plan;\n"),
        (
            "pipeline",
            "pub mod config;\npub mod plan;\npub mod render;\npub mod extra;\n",
        ),
        (
            "pipeline::config",
            "use crate::pipeline::render::house_style::HouseStyle;\nuse crate::form::Form;\n",
        ),
        (
            "pipeline::plan",
            "fn f() { crate::project::load(); super::config::load(); }\n",
        ),
        (
            "pipeline::render",
            "pub mod house_style;\nuse crate::pipeline::plan::Plan;\n",
        ),
        (
            "pipeline::render::house_style",
            "use super::super::config::Config;\n",
        ),
        ("pipeline::extra", ""),
        (
            "project",
            "use crate::pipeline::render::Templates;\nuse crate::pipeline::extra;\n",
        ),
    ]
    .into_iter()
    .map(|(m, t)| (m.to_string(), t.to_string()))
    .collect();
    let layers: &[&[&str]] = &[
        &["form"],
        &["pipeline::config"],
        &["pipeline::plan"],
        &["pipeline::render"],
        &["pipeline"],
        &["project"],
    ];
    let mut edges = imports(&modules);
    edges.remove("");
    assert_eq!(
        against_the_layers(&edges, layers),
        [
            "`pipeline::extra` has no place in the layer table (add it to LAYERS)",
            "`form` (layer 0) uses `pipeline::plan` (layer 2), a layer above it",
            "`pipeline::config` (layer 1) uses `pipeline::render::house_style` (layer 3), a layer above it",
            "`pipeline::plan` (layer 2) uses `project` (layer 5), a layer above it",
        ]
    );
    // The same sources with the upward uses gone pass.
    let downward: BTreeMap<String, BTreeSet<String>> = edges
        .into_iter()
        .map(|(from, to)| {
            let to = to
                .into_iter()
                .filter(|t| {
                    layer_of(t, layers) <= layer_of(&from, layers) && t != "pipeline::extra"
                })
                .collect();
            (from, to)
        })
        .collect();
    assert_eq!(against_the_layers(&downward, layers), Vec::<String>::new());
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let modules = library();
    let mut edges = imports(&modules);
    // lib.rs is the front door: it names every module, and no module goes
    // through it (its re-exports would hide a loop from this test).
    edges.remove("");
    let through_the_root: Vec<&str> = edges
        .iter()
        .filter(|(_, to)| to.contains(""))
        .map(|(from, _)| from.as_str())
        .collect();
    assert!(
        through_the_root.is_empty(),
        "import from the module itself, not through lib.rs's re-exports (`crate::error::Result`, not `crate::Result`): {through_the_root:?}"
    );
    if let Some(cycle) = find_cycle(&edges) {
        let cycle: Vec<&str> = cycle.iter().map(|m| name(m)).collect();
        panic!("modules import each other: {}", cycle.join(" → "));
    }
}

/// The reader above sees the imports it is for, so a pass means something.
#[test]
fn the_import_reader_finds_grouped_relative_and_aliased_imports_and_a_loop() {
    let modules: BTreeMap<String, String> = [
        ("", "pub mod a;\npub mod round;\npub use round::{b};\n"),
        ("a", "use crate::b::{self, X};\n// crate::round::c in a comment\nfn f() { let s = \"crate::round::c\"; }\n"),
        ("round", "pub mod b;\npub mod c;\nfn g() { c::run(); }\n"),
        ("round::b", "use super::{c::Y, super::a};\n"),
        ("round::c", "fn h() -> crate::a::Z { todo!() }\nmod tests {\n    use super::*;\n}\n"),
    ]
    .into_iter()
    .map(|(m, t)| (m.to_string(), t.to_string()))
    .collect();
    let edges = imports(&modules);
    let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(edges["a"], set(&["round::b"]));
    assert_eq!(edges["round"], set(&["round::c"]));
    assert_eq!(edges["round::b"], set(&["a", "round::c"]));
    assert_eq!(edges["round::c"], set(&["a"]));
    let cycle = find_cycle(&edges).expect("a → round::b → a");
    assert_eq!(cycle, ["a", "round::b", "a"]);
}

/// The most lines a source file under `src/` may have, its tests included:
/// past it a file is usually holding several concerns (ripgrep splits its
/// flags so: `flags/{defs,parse,lowargs,hiargs}.rs`).
const MOST_LINES: usize = 1_000;

/// Files still over [`MOST_LINES`] while their split is under way, relative
/// to `src/`. Each name goes as its split lands; the list is to be empty.
const OVER_FOR_NOW: &[&str] = &[];

/// The files of `files` (path relative to `src/`, text) over `most` lines,
/// with their lengths, less those `allowed`; and the `allowed` names that
/// are no longer over, so the list only shrinks.
fn too_long(
    files: &[(String, String)],
    most: usize,
    allowed: &[&str],
) -> (Vec<String>, Vec<String>) {
    let mut over = Vec::new();
    let mut stale: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
    for (path, text) in files {
        let lines = text.lines().count();
        if lines > most {
            stale.retain(|s| s != path);
            if !allowed.contains(&path.as_str()) {
                over.push(format!("src/{path}: {lines} lines"));
            }
        }
    }
    (over, stale)
}

#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let src = root().join("src");
    let mut files: Vec<(String, String)> = files_below(&src)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        .map(|f| {
            let rel = f.strip_prefix(&src).expect("below src");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&f).expect("source"))
        })
        .collect();
    files.sort();
    assert!(files.iter().any(|(p, _)| p == "lib.rs"), "reads src/");
    let (over, stale) = too_long(&files, MOST_LINES, OVER_FOR_NOW);
    assert!(
        over.is_empty(),
        "split these by concern (at most {MOST_LINES} lines a file, tests included):\n{}",
        over.join("\n")
    );
    assert!(
        stale.is_empty(),
        "no longer over {MOST_LINES} lines: take them out of OVER_FOR_NOW: {stale:?}"
    );
}

#[test]
fn the_size_check_names_a_long_file_and_a_stale_allowance() {
    let files = [
        ("a.rs".to_string(), "x\n".repeat(3)),
        ("b/c.rs".to_string(), "x\n".repeat(4)),
        ("d.rs".to_string(), "x\n".repeat(4)),
    ];
    let (over, stale) = too_long(&files, 3, &["d.rs", "a.rs"]);
    assert_eq!(over, ["src/b/c.rs: 4 lines"]);
    assert_eq!(stale, ["a.rs"]);
}
