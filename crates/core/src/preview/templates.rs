//! Templates: the `{{…}}` a preview knows (Phabricator and Gerrit links,
//! status banners, the `{{Incident scorecard}}` box, notes); any other shows
//! as its source. A template marker is rendered here when the block or inline
//! pass reaches it. Also the splitting on `|` that leaves the pipes of links
//! alone, for template arguments and table cells.

use super::escape::{escape, escape_into};
use super::links::{link_html, GERRIT_BASE, PHAB_BASE};
use super::Renderer;

/// Canonical template name: trimmed, `_` as space, case-insensitive.
pub(super) fn template_name(raw: &str) -> String {
    let words: Vec<String> = raw
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let name = words.join(" ");
    match name.strip_prefix("template:") {
        Some(rest) => rest.trim_start().to_string(),
        None => name,
    }
}

pub(super) fn is_block_template(name: &str) -> bool {
    matches!(
        name,
        "incident scorecard"
            | "note"
            | "irdoc"
            | "irdoc-draft"
            | "irdoc-review"
            | "irdoc-final"
            | "toc"
            | "toc right"
            | "toc left"
    )
}

/// Template arguments: `name = value` (trimmed) or positional.
struct Args<'a> {
    named: Vec<(String, &'a str)>,
    positional: Vec<&'a str>,
}

impl<'a> Args<'a> {
    fn parse(parts: &[&'a str]) -> Self {
        let mut args = Args {
            named: Vec::new(),
            positional: Vec::new(),
        };
        for part in parts {
            match top_level_eq(part) {
                Some(eq) => args
                    .named
                    .push((part[..eq].trim().to_lowercase(), part[eq + 1..].trim())),
                None => args.positional.push(part.trim()),
            }
        }
        args
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        if let Some((_, v)) = self.named.iter().find(|(k, _)| k == key) {
            return Some(v);
        }
        let n: usize = key.parse().ok()?;
        self.positional.get(n.checked_sub(1)?).copied()
    }
}

/// Link to a Phabricator task: `390630`, `T390630`, `T381771#10391988`.
fn phab_link(id: &str) -> Option<String> {
    let id = id.trim();
    let (main, fragment) = match id.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (id, None),
    };
    let digits = main.strip_prefix(['T', 't']).unwrap_or(main);
    let digits_ok =
        !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|c| c.is_ascii_digit());
    if !digits_ok || fragment.is_some_and(|f| !f.bytes().all(|c| c.is_ascii_alphanumeric())) {
        return None;
    }
    let label = match fragment {
        Some(f) => format!("T{digits}#{f}"),
        None => format!("T{digits}"),
    };
    Some(link_html(
        &format!("{PHAB_BASE}{label}"),
        "wt-ext wt-phab",
        &escape(&label),
    ))
}

/// Link to a Gerrit change by number or Change-Id.
fn gerrit_link(id: &str) -> Option<String> {
    let id = id.trim();
    if id.is_empty() || id.len() > 41 || !id.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let path = if id.bytes().all(|c| c.is_ascii_digit()) {
        "c/"
    } else {
        "q/"
    };
    Some(link_html(
        &format!("{GERRIT_BASE}{path}{id}"),
        "wt-ext wt-gerrit",
        &escape(id),
    ))
}

fn status_banner(status: Option<&str>) -> String {
    let status = status.unwrap_or("").trim().to_ascii_lowercase();
    let text = match status.as_str() {
        "draft" => "Draft — this incident report is still being written.",
        "review" => "In review — this incident report is ready for review.",
        "final" => "Final — this incident report has been reviewed.",
        _ => {
            return format!(
                "<div class=\"wt-banner wt-status-unknown\">Incident report status: {}</div>\n",
                escape(&status)
            )
        }
    };
    format!("<div class=\"wt-banner wt-status-{status}\">{text}</div>\n")
}

/// Splits on `sep` (one or two bytes) outside `[[…]]`, so a pipe inside a
/// link never splits template arguments or table cells.
pub(super) fn split_outside_links<'a>(s: &'a str, seps: &[&[u8]]) -> Vec<&'a str> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0, 0);
    while i < b.len() {
        if b[i..].starts_with(b"[[") {
            depth += 1;
            i += 2;
        } else if b[i..].starts_with(b"]]") && depth > 0 {
            depth -= 1;
            i += 2;
        } else if let Some(sep) = seps
            .iter()
            .find(|sep| depth == 0 && b[i..].starts_with(sep))
        {
            parts.push(&s[start..i]);
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

pub(super) fn split_pipes(s: &str) -> Vec<&str> {
    split_outside_links(s, &[b"|"])
}

/// Index of the first `=` outside `[[…]]` (named template argument).
fn top_level_eq(s: &str) -> Option<usize> {
    let first = split_outside_links(s, &[b"="])[0];
    (first.len() < s.len()).then_some(first.len())
}

impl Renderer {
    pub(super) fn template(&mut self, raw: &str) -> String {
        let parts = split_pipes(raw);
        let name = template_name(parts[0]);
        let args = Args::parse(&parts[1..]);
        let rendered = match name.as_str() {
            "phabt" | "phab" | "phabricator" | "task" => args.get("1").and_then(phab_link),
            "gerrit" => args.get("1").and_then(gerrit_link),
            "done" => Some("<span class=\"wt-done\">\u{2714} Done</span>".to_string()),
            "not done" => Some("<span class=\"wt-notdone\">\u{2718} Not done</span>".to_string()),
            "toc" | "toc right" | "toc left" => Some(String::new()),
            "irdoc" => {
                let status = args.get("status").or_else(|| args.get("1"));
                Some(status_banner(status.map(|s| self.source(s)).as_deref()))
            }
            "irdoc-draft" => Some(status_banner(Some("draft"))),
            "irdoc-review" => Some(status_banner(Some("review"))),
            "irdoc-final" => Some(status_banner(Some("final"))),
            "incident scorecard" => Some(self.scorecard(&args)),
            "note" | "todo" => Some(self.note_box(&name, &args)),
            _ => None,
        };
        rendered.unwrap_or_else(|| {
            let source = self.source(&format!("{{{{{raw}}}}}"));
            format!("<span class=\"tpl\">{}</span>", escape(&source))
        })
    }

    /// Renders a template argument: inline unless it spans lines.
    fn fragment(&mut self, text: &str) -> String {
        let text = text.trim();
        if text.contains('\n') {
            self.blocks(text)
        } else {
            self.inline(text, true)
        }
    }

    /// The `{{Incident scorecard}}` metadata box as a definition table.
    fn scorecard(&mut self, args: &Args<'_>) -> String {
        const FIELDS: [(&str, &str); 8] = [
            ("task", "Task"),
            ("paged-num", "People paged"),
            ("responders-num", "Responder count"),
            ("coordinators", "Coordinators"),
            ("start", "Start"),
            ("end", "End"),
            ("metrics", "Affected metrics/SLOs"),
            ("impact", "Impact"),
        ];
        let mut out = String::from(
            "<table class=\"wt-scorecard\"><caption>Incident scorecard</caption><tbody>",
        );
        let known = FIELDS
            .iter()
            .filter_map(|&(key, label)| Some((label.to_string(), key, args.get(key)?)));
        let extra = args
            .named
            .iter()
            .filter(|(k, _)| !FIELDS.iter().any(|(f, _)| f == k))
            .map(|(k, v)| (self.source(k), "", *v));
        let rows: Vec<(String, &str, &str)> = known.chain(extra).collect();
        for (label, key, value) in rows {
            let html = match (key, phab_link(value)) {
                ("task", Some(link)) => link,
                _ => self.fragment(value),
            };
            out.push_str("<tr><th>");
            escape_into(&mut out, &label);
            out.push_str("</th><td>");
            out.push_str(&html);
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>\n");
        out
    }

    fn note_box(&mut self, name: &str, args: &Args<'_>) -> String {
        let text = args.get("text").or_else(|| args.get("1")).unwrap_or("");
        let body = self.fragment(text);
        // A mark in the running text, as on the wiki: `<small>{{Todo|…}}</small>` holds no box.
        if name == "todo" {
            format!("<span class=\"wt-todo\"><b>TODO:</b></span> {body}")
        } else {
            format!("<div class=\"wt-note\">{body}</div>\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::preview::testing::render_checked;
    use crate::preview::{render, render_inline};

    // -- templates ----------------------------------------------------------

    #[test]
    fn task_and_change_templates() {
        let html = render_inline("{{PhabT|390630}} {{phab|T382276}} {{Phabricator|392170}} {{phab|T381771#10391988}} {{Gerrit|1101547}}");
        for href in [
            "https://phabricator.wikimedia.org/T390630",
            "https://phabricator.wikimedia.org/T382276",
            "https://phabricator.wikimedia.org/T392170",
            "https://phabricator.wikimedia.org/T381771#10391988",
            "https://gerrit.wikimedia.org/r/c/1101547",
        ] {
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{href} in {html}"
            );
        }
        assert!(html.contains(">T390630</a>") && html.contains(">1101547</a>"));
        // A malformed id falls back to showing the source.
        assert_eq!(
            render_inline("{{PhabT|x\"y}}"),
            "<span class=\"tpl\">{{PhabT|x&quot;y}}</span>"
        );
    }

    #[test]
    fn status_and_box_templates() {
        assert_eq!(
            render_inline("{{Done}}"),
            "<span class=\"wt-done\">\u{2714} Done</span>"
        );
        assert_eq!(render("{{TOC|align=right}}"), "");
        assert!(
            render("{{irdoc|status=final}}").contains("<div class=\"wt-banner wt-status-final\">")
        );
        assert!(render("{{irdoc-draft}}").contains("wt-status-draft"));
        assert!(render_checked("{{irdoc|status=<b>x</b>}}")
            .contains("wt-status-unknown\">Incident report status: &lt;b&gt;x&lt;/b&gt;"));
        assert_eq!(render("{{Note|text=See [[x]]}}"), "<div class=\"wt-note\">See <a href=\"https://wikitech.wikimedia.org/wiki/X\" class=\"wt-link\" rel=\"noopener noreferrer\" target=\"_blank\">x</a></div>\n");
        assert_eq!(
            render("{{Todo|Do.|nocat=TODO}}"),
            "<p><span class=\"wt-todo\"><b>TODO:</b></span> Do.</p>\n"
        );
    }

    #[test]
    fn scorecard_template_is_a_definition_table() {
        let html = render_checked("{{Incident scorecard\n| task = T390513\n| paged-num = batphone\n| coordinators = [[User:FNegri-WMF]]\n| start = 2025-03-31 02:58\n| extra = x\n}}");
        assert!(html.starts_with("<table class=\"wt-scorecard\">"));
        assert!(html.contains(
            "<tr><th>Task</th><td><a href=\"https://phabricator.wikimedia.org/T390513\""
        ));
        assert!(html.contains("<tr><th>People paged</th><td>batphone</td></tr>"));
        assert!(html.contains("<th>Coordinators</th><td><a href=\"https://wikitech.wikimedia.org/wiki/User:FNegri-WMF\""));
        assert!(html.contains("<tr><th>extra</th><td>x</td></tr>"));
        assert!(!html.contains("Incident ID"));
        // Empty values (toolsdb fixture) give empty cells.
        assert!(render("{{Incident scorecard\n| task = \n}}").contains("<th>Task</th><td></td>"));
    }

    #[test]
    fn unknown_and_nested_templates() {
        assert_eq!(render_inline("{{Foo|a=<b>|{{Done}}|<nowiki>x</nowiki>}}"), "<span class=\"tpl\">{{Foo|a=&lt;b&gt;|{{Done}}|&lt;nowiki&gt;x&lt;/nowiki&gt;}}</span>");
        assert!(render_inline("{{Note|text={{PhabT|1}}}}")
            .contains("href=\"https://phabricator.wikimedia.org/T1\""));
        assert_eq!(
            render_inline("{{a {{b}}"),
            "{{a <span class=\"tpl\">{{b}}</span>"
        );
        assert_eq!(render_inline("}} {{"), "}} {{");
        assert_eq!(
            render_inline("{{Note|text=a {{!}} b}}"),
            "<div class=\"wt-note\">a | b</div>\n"
        );
    }

    #[test]
    fn template_in_mid_line_splits_paragraph() {
        let html = render_checked("by ~03:40.{{TOC|align=right}}\n\nnext");
        assert_eq!(html, "<p>by ~03:40.</p>\n<p>next</p>\n");
    }
}
