//! The Danish texts we ship (catalogue and templates) pass the Danish
//! dictionary, except the ids and block names in `tests/spelling-allowed.txt`.

use std::process::Command;

use crate::support::*;

#[test]
fn shipped_texts_have_no_words_the_danish_dictionary_does_not_know() {
    let tool = root().join("../shared/tools/spellcheck-da");
    let hunspell = Command::new("hunspell").arg("-D").output().is_ok();
    if !crate::interop::required_or_skip(
        "hunspell and ../shared/tools/spellcheck-da",
        tool.is_file() && hunspell,
    ) {
        return;
    }
    let output = Command::new("bash")
        .arg(&tool)
        .args([
            "concept",
            "templates",
            "--words",
            "tests/spelling-allowed.txt",
        ])
        .current_dir(root())
        .output()
        .expect("spellcheck runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let unknown = String::from_utf8_lossy(&output.stdout);
    assert!(unknown.trim().is_empty(), "unknown words:\n{unknown}");
}
