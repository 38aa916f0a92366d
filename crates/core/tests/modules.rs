//! The core's modules depend on each other without cycles: each module's non-test code is
//! read for the `crate::<module>` paths it uses (doc comments and test modules aside), and the
//! graph they make must be acyclic, so each module can be read with only the ones below it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Module name -> the modules its code uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for inner in fs::read_dir(&path).unwrap() {
                files.push(inner.unwrap().path());
            }
        } else {
            files.push(path);
        }
    }
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "lib")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue;
        }
        let text = fs::read_to_string(file).unwrap();
        // Unit tests may use anything.
        let code = text.split("#[cfg(test)]").next().unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("crate::") {
                let name: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // `crate::import`, `crate::Report`: re-exports of lib.rs.
                let name = match name.as_str() {
                    "import" | "export" => "wikitext".to_owned(),
                    "Report" => "model".to_owned(),
                    "Text" => "text".to_owned(),
                    _ => name,
                };
                if modules.contains(&name) && name != module {
                    deps.insert(name);
                }
            }
        }
        // `use super::x` inside a folder module is within the module itself.
    }
    graph
}

fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_str().unwrap().trim_end_matches(".rs").to_owned()
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let graph = graph();
    assert!(
        graph.contains_key("model") && graph.contains_key("preview"),
        "{graph:?}"
    );
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = graph[start].iter().collect();
        while let Some(m) = stack.pop() {
            assert_ne!(m, start, "{start} reaches itself: {graph:#?}");
            if seen.insert(m) {
                stack.extend(graph.get(m).into_iter().flatten());
            }
        }
    }
}

#[test]
fn the_model_depends_only_on_what_is_below_it() {
    let graph = graph();
    let below: BTreeSet<String> = ["datetime", "questions", "text"].map(String::from).into();
    assert_eq!(graph["model"], below);
}
