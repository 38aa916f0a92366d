//! The wiki round trip: which wiki irdoc works with, reading a page from it through the
//! Action API, listing its incident pages, and the edit form a draft is published through.
//!
//! Nothing here touches the network: the app fetches the URLs built here and hands the
//! answers back to [`read_answer`] and [`list_answer`], which are readers of outside bytes
//! (they refuse anything unexpected with a [`WikiError`], never panic, and take time linear
//! in the answer).
//!
//! The wiki's layout is wikitech's (and every Wikimedia wiki's): `BASE/w/api.php`,
//! `BASE/w/index.php` and articles at `BASE/wiki/Title`.

use std::fmt;

use serde_json::Value;

use crate::preview::escape_html;

pub use crate::model::Origin;

/// The wiki irdoc works with unless the author chooses another.
pub const DEFAULT_WIKI: &str = "https://wikitech.wikimedia.org";
/// The storage key of the author's choice of wiki (its address, as plain text).
pub const SETTING_KEY: &str = "irdoc:wiki";
/// Where incident reports live on wikitech.
pub const INCIDENTS_PREFIX: &str = "Incidents/";

/// A MediaWiki with wikitech's URL layout, by its base address (`https://host[:port][/path]`,
/// no trailing slash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wiki {
    base: String,
}

impl Default for Wiki {
    fn default() -> Self {
        Wiki {
            base: DEFAULT_WIKI.to_owned(),
        }
    }
}

impl Origin {
    /// The base revision that publishing `title` to `wiki` edits, if this origin is that page.
    pub fn base_for(&self, wiki: &Wiki, title: &str) -> Option<(u64, &str)> {
        (self.wiki == wiki.base && same_title(&self.title, title))
            .then_some((self.revid, self.timestamp.as_str()))
    }

    /// The page's address on its wiki.
    pub fn page_url(&self) -> String {
        format!("{}/wiki/{}", self.wiki, encode_path(&self.title))
    }
}

/// Whether two titles name the same page (spaces and underscores are the same, and the
/// first letter is case-insensitive, as on wikitech).
pub fn same_title(a: &str, b: &str) -> bool {
    normalize_title(a) == normalize_title(b)
}

fn normalize_title(t: &str) -> String {
    let spaced: String = t.trim().replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What to read from the wiki.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The latest revision of a page.
    Title(String),
    /// One revision (`?oldid=N`).
    Revision(u64),
}

/// Why something could not be done with the wiki; each says what happened and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WikiError {
    /// The wiki address setting is not a usable address.
    BadWikiAddress { input: String, reason: &'static str },
    /// Nothing was typed.
    NoTitle,
    /// Not a title MediaWiki accepts.
    BadTitle { title: String, reason: String },
    /// A URL that does not name a page of the wiki.
    NotAPageUrl { input: String },
    /// A page address on another site than the wiki irdoc works with.
    OtherWiki { input: String, wiki: String },
    /// The page does not exist.
    Missing { title: String },
    /// No such revision.
    NoRevision { revid: u64 },
    /// The page redirects to another.
    Redirect { from: String, to: String },
    /// The page is not wikitext (a CSS, JSON, … page).
    NotWikitext { title: String, model: String },
    /// The revision's text is hidden (revision deletion).
    TextHidden { title: String },
    /// The API answered with an error.
    Api { code: String, info: String },
    /// The answer is not what the Action API sends.
    Malformed { detail: String },
    /// The wiki answered with an HTTP error status.
    Status { status: u16, wiki: String },
    /// The request failed: no network, the wiki is down, or it refused the cross-site read.
    Unreachable { wiki: String, offline: bool },
}

impl fmt::Display for WikiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WikiError::BadWikiAddress { input, reason } => {
                write!(f, "“{input}” is not a wiki address irdoc can use: {reason}")
            }
            WikiError::NoTitle => f.write_str("type a page title or paste the page's address"),
            WikiError::BadTitle { title, reason } => {
                write!(f, "“{title}” is not a page title: {reason}")
            }
            WikiError::NotAPageUrl { input } => write!(
                f,
                "“{input}” is not the address of a page (expected …/wiki/Title, …/w/index.php?title=Title or …?oldid=N)"
            ),
            WikiError::OtherWiki { input, wiki } => write!(
                f,
                "“{input}” is on another site than the wiki irdoc works with ({wiki}): change the wiki first"
            ),
            WikiError::Missing { title } => {
                write!(f, "the wiki has no page “{title}” (check the title)")
            }
            WikiError::NoRevision { revid } => write!(f, "the wiki has no revision {revid}"),
            WikiError::Redirect { from, to } => {
                write!(f, "“{from}” is a redirect to “{to}”: open “{to}” instead")
            }
            WikiError::NotWikitext { title, model } => write!(
                f,
                "“{title}” is not a wikitext page (its content model is {model})"
            ),
            WikiError::TextHidden { title } => {
                write!(f, "the text of this revision of “{title}” is hidden on the wiki")
            }
            WikiError::Api { code, info } => write!(f, "the wiki refused the request: {info} ({code})"),
            WikiError::Malformed { detail } => write!(
                f,
                "the wiki's answer is not a MediaWiki API answer ({detail}): is the wiki address right?"
            ),
            WikiError::Status { status, wiki } => write!(
                f,
                "the wiki at {wiki} answered with HTTP status {status}: is the wiki address right, and is the wiki up?"
            ),
            WikiError::Unreachable { wiki, offline: true } => write!(
                f,
                "this browser is offline, so the wiki at {wiki} cannot be reached: try again when online"
            ),
            WikiError::Unreachable { wiki, offline: false } => write!(
                f,
                "the wiki at {wiki} could not be reached: it may be down, the address may be wrong, or it does not let other sites read it (CORS)"
            ),
        }
    }
}

impl std::error::Error for WikiError {}

impl Wiki {
    /// Reads a wiki address: `https://host[:port][/path]` (plain http only for 127.0.0.1 and
    /// localhost). Any of the wiki's own URLs works too: the part before `/wiki/` or `/w/` is
    /// the base.
    pub fn parse(input: &str) -> Result<Wiki, WikiError> {
        let bad = |reason| WikiError::BadWikiAddress {
            input: input.trim().to_owned(),
            reason,
        };
        let url = Url::split(input.trim()).ok_or_else(|| bad("it must start with https://"))?;
        if url.host.is_empty() || !url.host.bytes().all(host_byte) {
            return Err(bad("it has no valid host name"));
        }
        if url.scheme == "http" && !is_loopback(url.host) {
            return Err(bad(
                "it must use https (plain http only for 127.0.0.1 and localhost)",
            ));
        }
        let path = url.path;
        let prefix = match (path.find("/wiki/"), path.find("/w/")) {
            (Some(a), Some(b)) => &path[..a.min(b)],
            (Some(a), None) | (None, Some(a)) => &path[..a],
            (None, None) => path,
        };
        let prefix = prefix.trim_end_matches('/');
        if !prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b))
        {
            return Err(bad("its path has characters a wiki address does not have"));
        }
        Ok(Wiki {
            base: format!("{}://{}{}", url.scheme, url.host, prefix),
        })
    }

    /// The base address: `https://wikitech.wikimedia.org`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The host part of the base, for messages (`wikitech.wikimedia.org`).
    pub fn host(&self) -> &str {
        let rest = self.base.split_once("://").map_or(&*self.base, |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }

    pub fn api(&self) -> String {
        format!("{}/w/api.php", self.base)
    }

    pub fn index(&self) -> String {
        format!("{}/w/index.php", self.base)
    }

    /// A page's address (`…/wiki/Incidents/2025-03-31_sessionstore_unavailability`).
    pub fn page_url(&self, title: &str) -> String {
        format!("{}/wiki/{}", self.base, encode_path(title))
    }

    /// What the author typed or pasted: a page title, or any address of a page of this wiki
    /// (`/wiki/T`, `/w/index.php?title=T`, `?oldid=N`, percent-encoded or not).
    pub fn target(&self, input: &str) -> Result<Target, WikiError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(WikiError::NoTitle);
        }
        let not_a_page = || WikiError::NotAPageUrl {
            input: input.to_owned(),
        };
        let (path, query) = if let Some(url) = Url::split(input) {
            let here = Url::split(&self.base).expect("a Wiki's base is a URL");
            let same_site = url.scheme == here.scheme && url.host.eq_ignore_ascii_case(here.host);
            let prefix = here.path;
            match url.path.strip_prefix(prefix) {
                Some(path) if same_site && (path.is_empty() || path.starts_with('/')) => {
                    (path, url.query)
                }
                _ => {
                    return Err(WikiError::OtherWiki {
                        input: input.to_owned(),
                        wiki: self.base.clone(),
                    })
                }
            }
        } else if input.starts_with("/wiki/") || input.starts_with("/w/") {
            let (path, query) = input.split_once('?').unwrap_or((input, ""));
            (path, query.split('#').next().unwrap_or(""))
        } else {
            // A title: a `#section` is not part of it.
            let title = input.split('#').next().unwrap_or("");
            return title_target(title);
        };
        let params = query_pairs(query);
        let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        if let Some(oldid) = param("oldid") {
            return match oldid.trim().parse::<u64>() {
                Ok(n) if n > 0 => Ok(Target::Revision(n)),
                _ => Err(not_a_page()),
            };
        }
        if let Some(title) = path.strip_prefix("/wiki/") {
            let title = percent_decode(title, false).ok_or_else(not_a_page)?;
            return title_target(&title);
        }
        if path == "/w/index.php" || path == "/index.php" {
            if let Some(title) = param("title") {
                return title_target(title);
            }
        }
        Err(not_a_page())
    }

    /// The Action API read of a page's latest revision (or of one revision): its wikitext,
    /// revision id and timestamp, and the wiki's clock, anonymously across origins.
    pub fn read_url(&self, target: &Target) -> String {
        let which = match target {
            // A redirect is reported as such (an old revision's redirects are not followed).
            Target::Title(t) => format!("redirects=1&titles={}", encode_query(t)),
            Target::Revision(n) => format!("revids={n}"),
        };
        format!(
            "{}?action=query&prop=revisions&rvprop=content%7Cids%7Ctimestamp&rvslots=main\
             &formatversion=2&format=json&origin=*&curtimestamp=1&{which}",
            self.api()
        )
    }

    /// The wiki's incident pages, newest first (titles start with the date), 500 at a time;
    /// `from` continues a list (its [`PageList::next`]).
    pub fn list_url(&self, from: Option<&str>) -> String {
        let from = from.map_or(String::new(), |f| {
            format!("&apcontinue={}", encode_query(f))
        });
        format!(
            "{}?action=query&list=allpages&apprefix={}&apnamespace=0&aplimit=500&apdir=descending\
             &formatversion=2&format=json&origin=*{from}",
            self.api(),
            encode_query(INCIDENTS_PREFIX)
        )
    }

    /// The edit form's POST that opens the wiki's editor with `publish.text` loaded: the
    /// diff against the page for a page that exists (a base revision), the preview for a new
    /// one. The author reviews it and saves on the wiki.
    ///
    /// The fields are those of MediaWiki's own form (`includes/EditPage.php`, 1.39):
    /// `importFormData` reads them; `wpUltimateParam` must come last (without it MediaWiki
    /// takes the form for cut off); `wpEdittime` and `wpStarttime` count only as 14-digit
    /// timestamps; `editRevId` is the revision the text was based on, which MediaWiki checks
    /// against the latest when saving (an edit conflict when another revision came in
    /// between, unless it can merge the two). There is no `wpEditToken`: irdoc cannot have
    /// one, so MediaWiki shows the diff or preview instead of saving, and its form there
    /// carries the token of the author's session on the wiki.
    pub fn publish_form(&self, publish: &Publish) -> Form {
        let (edit_time, rev_id, button) = match publish.base {
            Some((revid, timestamp)) => (mw_timestamp(timestamp), revid, "wpDiff"),
            None => (String::new(), 0, "wpPreview"),
        };
        let fields = vec![
            ("wpUnicodeCheck", UNICODE_CHECK.to_owned()),
            ("wpSection", String::new()),
            ("wpStarttime", mw_timestamp(publish.started)),
            ("wpEdittime", edit_time),
            ("editRevId", rev_id.to_string()),
            ("wpTextbox1", publish.text.to_owned()),
            ("wpSummary", publish.summary.to_owned()),
            ("model", "wikitext".to_owned()),
            ("format", "text/x-wiki".to_owned()),
            (button, "1".to_owned()),
            ("wpUltimateParam", "1".to_owned()),
        ];
        Form {
            action: format!(
                "{}?title={}&action=submit",
                self.index(),
                encode_query(publish.title)
            ),
            fields,
        }
    }
}

/// MediaWiki's check that the browser sends Unicode intact (`UnicodeConstraint::VALID_UNICODE`).
pub const UNICODE_CHECK: &str = "ℳ𝒲♥𝓊𝓃𝒾𝒸ℴ𝒹ℯ";

/// What to publish.
#[derive(Clone, Debug)]
pub struct Publish<'a> {
    pub title: &'a str,
    /// The page's wikitext (the export).
    pub text: &'a str,
    pub summary: &'a str,
    /// The revision the text is based on, with its API timestamp; `None` for a new page.
    pub base: Option<(u64, &'a str)>,
    /// When the author started this edit (an API timestamp: the last read's `curtimestamp`).
    pub started: &'a str,
}

/// A form to submit: POST to `action` with these fields, in this order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(&'static str, String)>,
}

/// An API timestamp (`2025-03-31T12:34:56Z`) as MediaWiki's own (`20250331123456`); empty
/// when it is not one.
pub fn mw_timestamp(iso: &str) -> String {
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    let shape = iso.len() == 20
        && iso.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T',
            13 | 16 => b == b':',
            19 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if shape {
        digits
    } else {
        String::new()
    }
}

/// A page read from the wiki.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    pub revid: u64,
    /// The revision's timestamp.
    pub timestamp: String,
    /// The wiki's clock when it answered (`curtimestamp`), when it gave it.
    pub now: String,
    pub content: String,
}

impl Page {
    /// Where this page came from, for the draft made of it.
    pub fn origin(&self, wiki: &Wiki) -> Origin {
        Origin {
            wiki: wiki.base.clone(),
            title: self.title.clone(),
            revid: self.revid,
            timestamp: self.timestamp.clone(),
        }
    }
}

fn malformed(detail: impl Into<String>) -> WikiError {
    WikiError::Malformed {
        detail: detail.into(),
    }
}

/// An Action API answer as JSON: read into serde_json's `Value` (which the app has anyway)
/// rather than typed structs, whose deserializers would each add code to the wasm.
fn parse_answer(text: &str) -> Result<Value, WikiError> {
    let answer: Value = serde_json::from_str(text).map_err(|e| {
        malformed(if e.is_syntax() || e.is_eof() {
            "not JSON".to_owned()
        } else {
            format!("unexpected JSON: {e}")
        })
    })?;
    if !answer.is_object() {
        return Err(malformed("not a JSON object"));
    }
    if let Some(error) = answer.get("error") {
        return Err(WikiError::Api {
            code: text_at(error, "code").to_owned(),
            info: text_at(error, "info").to_owned(),
        });
    }
    Ok(answer)
}

/// The string under `key`, or "" when there is none.
fn text_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A `formatversion=2` flag (`"missing": true`).
fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Takes the string under `key` out of `v`.
fn take_text(v: &mut Value, key: &str) -> Option<String> {
    match v.get_mut(key)? {
        Value::String(s) => Some(std::mem::take(s)),
        _ => None,
    }
}

fn array<'a>(v: &'a mut Value, key: &str) -> &'a mut [Value] {
    match v.get_mut(key) {
        Some(Value::Array(items)) => items,
        _ => &mut [],
    }
}

/// Reads the answer to [`Wiki::read_url`] for `target`: the page, or why it cannot be opened.
pub fn read_answer(target: &Target, text: &str) -> Result<Page, WikiError> {
    let mut answer = parse_answer(text)?;
    let now = take_text(&mut answer, "curtimestamp").unwrap_or_default();
    let query = answer
        .get_mut("query")
        .filter(|q| q.is_object())
        .ok_or_else(|| malformed("no query result"))?;
    if let Some(r) = array(query, "redirects").first() {
        return Err(WikiError::Redirect {
            from: text_at(r, "from").to_owned(),
            to: text_at(r, "to").to_owned(),
        });
    }
    let no_revision = || match target {
        Target::Revision(revid) => WikiError::NoRevision { revid: *revid },
        Target::Title(title) => WikiError::Missing {
            title: title.clone(),
        },
    };
    if query.get("badrevids").is_some() {
        return Err(no_revision());
    }
    let page = match array(query, "pages") {
        [page] => page,
        [] => return Err(no_revision()),
        _ => return Err(malformed("more than one page")),
    };
    let title = take_text(page, "title").unwrap_or_default();
    if flag(page, "invalid") {
        return Err(WikiError::BadTitle {
            title,
            reason: text_at(page, "invalidreason").to_owned(),
        });
    }
    if flag(page, "missing") {
        return Err(WikiError::Missing { title });
    }
    let rev = array(page, "revisions")
        .first_mut()
        .ok_or_else(|| malformed("no revision"))?;
    let revid = rev
        .get("revid")
        .and_then(Value::as_u64)
        .ok_or_else(|| malformed("a revision without an id"))?;
    if matches!(target, Target::Revision(want) if *want != revid) {
        return Err(malformed("another revision than the one asked for"));
    }
    let timestamp = take_text(rev, "timestamp").ok_or_else(|| malformed("no timestamp"))?;
    let hidden = |title: String| WikiError::TextHidden { title };
    if flag(rev, "texthidden") {
        return Err(hidden(title));
    }
    let slot = rev
        .get_mut("slots")
        .and_then(|s| s.get_mut("main"))
        .ok_or_else(|| malformed("no content"))?;
    if flag(slot, "texthidden") {
        return Err(hidden(title));
    }
    let model = text_at(slot, "contentmodel");
    if model != "wikitext" {
        return Err(WikiError::NotWikitext {
            title,
            model: model.to_owned(),
        });
    }
    let content = take_text(slot, "content").ok_or_else(|| malformed("no content"))?;
    Ok(Page {
        title,
        revid,
        timestamp,
        now,
        content,
    })
}

/// A part of the wiki's list of incident pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageList {
    pub titles: Vec<String>,
    /// Where the list goes on, for [`Wiki::list_url`].
    pub next: Option<String>,
}

/// Reads the answer to [`Wiki::list_url`].
pub fn list_answer(text: &str) -> Result<PageList, WikiError> {
    let mut answer = parse_answer(text)?;
    let next = answer
        .get_mut("continue")
        .and_then(|c| take_text(c, "apcontinue"));
    let query = answer
        .get_mut("query")
        .filter(|q| q.is_object())
        .ok_or_else(|| malformed("no query result"))?;
    Ok(PageList {
        titles: array(query, "allpages")
            .iter_mut()
            .filter_map(|p| take_text(p, "title"))
            .collect(),
        next,
    })
}

/// The titles that contain every word of `words` (any case), in their order.
pub fn matching<'a>(titles: &'a [String], words: &str) -> Vec<&'a str> {
    let words: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
    titles
        .iter()
        .filter(|t| {
            let t = t.to_lowercase().replace('_', " ");
            words.iter().all(|w| t.contains(w.as_str()))
        })
        .map(String::as_str)
        .collect()
}

/// The list of incident pages as HTML: for each title a link to its page and an Open
/// button carrying the title in `data-open` (the app handles the clicks on the list). HTML
/// built here is a fraction of the wasm that a view per row would be.
pub fn list_html(wiki: &Wiki, titles: &[&str]) -> String {
    if titles.is_empty() {
        return "<li data-testid=\"wiki-list-empty\">No incident pages match.</li>".to_owned();
    }
    let mut out = String::new();
    for title in titles {
        let (url, title) = (escape_html(&wiki.page_url(title)), escape_html(title));
        out.extend([
            "<li data-testid=\"wiki-list-item\"><a href=\"",
            &url,
            "\" target=\"_blank\" rel=\"noopener\">",
            &title,
            "</a> <button type=\"button\" data-testid=\"wiki-list-open\" data-action=\"open\" data-open=\"",
            &title,
            "\">Open</button></li>",
        ]);
    }
    out
}

/// What changed on the wiki, section by section, as HTML: each section's added and removed
/// lines, and for a section that can be taken ([`crate::compare::can_take`]) a checkbox
/// carrying its name in `data-take`.
pub fn changes_html(sections: &[crate::compare::SectionChange]) -> String {
    use crate::compare::DiffLine;
    let mut out = String::new();
    if sections.is_empty() {
        out.push_str(
            "<p>Nothing in the report's sections (only spacing or markup irdoc does not show).</p>",
        );
    }
    for c in sections {
        let name = escape_html(c.section);
        out.extend([
            "<div class=\"wiki-change\" data-testid=\"wiki-change\" data-section=\"",
            &name,
            "\"><h4>",
            &name,
            "</h4><pre class=\"diff\">",
        ]);
        for line in &c.lines {
            let (tag, mark, text) = match line {
                DiffLine::Added(t) => ("ins>", "+ ", t),
                DiffLine::Removed(t) => ("del>", "− ", t),
                DiffLine::Same(_) => continue,
            };
            out.extend(["<", tag, mark, &escape_html(text), "\n</", tag]);
        }
        out.push_str("</pre>");
        if crate::compare::can_take(c.section) {
            out.extend([
                "<label><input type=\"checkbox\" data-testid=\"take-wiki\" data-take=\"",
                &name,
                "\"> Take the wiki's version (else keep mine)</label>",
            ]);
        } else {
            out.push_str("<p class=\"help\">Edit these by hand in Other sections if you want the wiki's version.</p>");
        }
        out.push_str("</div>");
    }
    out
}

fn title_target(title: &str) -> Result<Target, WikiError> {
    let bad = |reason: &str| WikiError::BadTitle {
        title: title.trim().to_owned(),
        reason: reason.to_owned(),
    };
    let clean = title.replace('_', " ");
    let clean = clean.trim().trim_start_matches(':').trim();
    if clean.is_empty() {
        return Err(WikiError::NoTitle);
    }
    if let Some(c) = clean
        .chars()
        .find(|c| "<>[]{}|#".contains(*c) || c.is_control())
    {
        return Err(bad(&format!(
            "titles cannot contain “{}”",
            c.escape_default()
        )));
    }
    if clean.len() > 255 {
        return Err(bad("titles are at most 255 bytes long"));
    }
    // Runs of spaces are one space in a title.
    Ok(Target::Title(
        clean
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    ))
}

/// A URL split into the parts irdoc looks at; `None` when it is not http(s).
struct Url<'a> {
    scheme: &'a str,
    host: &'a str,
    path: &'a str,
    query: &'a str,
}

impl<'a> Url<'a> {
    fn split(input: &'a str) -> Option<Url<'a>> {
        let (scheme, rest) = input.split_once("://")?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "https" => "https",
            "http" => "http",
            _ => return None,
        };
        let rest = rest.split('#').next().unwrap_or("");
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, rest) = rest.split_at(end);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Some(Url {
            scheme,
            host,
            path,
            query,
        })
    }
}

fn host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.:[]".contains(&b)
}

fn is_loopback(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost")
}

/// `a=1&b=x%20y` as decoded pairs (`+` is a space); pairs that do not decode are left out.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

/// Percent-decodes `s` (and `+` as a space in a query); `None` when the bytes are not UTF-8.
fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes all but the unreserved characters, for a query value.
fn encode_query(s: &str) -> String {
    encode(s, b"-_.~")
}

/// A title in an article path as MediaWiki writes it (`wfUrlencode`): spaces as
/// underscores, and `/`, `:` and a few more left as they are.
fn encode_path(title: &str) -> String {
    encode(&title.replace(' ', "_"), b"-_.~;@$!*(),/:")
}

fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wikitech() -> Wiki {
        Wiki::default()
    }

    const T: &str = "Incidents/2025-03-31 sessionstore unavailability";

    #[test]
    fn the_wiki_address_is_https_or_loopback_http() {
        assert_eq!(wikitech().base(), "https://wikitech.wikimedia.org");
        assert_eq!(wikitech().api(), "https://wikitech.wikimedia.org/w/api.php");
        assert_eq!(
            wikitech().index(),
            "https://wikitech.wikimedia.org/w/index.php"
        );
        for (input, base) in [
            (
                "https://wikitech.wikimedia.org",
                "https://wikitech.wikimedia.org",
            ),
            (
                " https://wikitech.wikimedia.org/ ",
                "https://wikitech.wikimedia.org",
            ),
            (
                "HTTPS://wiki.example.org/w/api.php",
                "https://wiki.example.org",
            ),
            (
                "https://wiki.example.org/wiki/Main_Page",
                "https://wiki.example.org",
            ),
            (
                "https://example.org/team/wiki/Main_Page",
                "https://example.org/team",
            ),
            ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
            (
                "http://localhost:9000/w/index.php?title=X",
                "http://localhost:9000",
            ),
        ] {
            assert_eq!(
                Wiki::parse(input).map(|w| w.base),
                Ok(base.to_owned()),
                "{input}"
            );
        }
        for input in [
            "http://wikitech.wikimedia.org",
            "http://127.0.0.1.example.org",
            "ftp://wiki.example.org",
            "wikitech.wikimedia.org",
            "https://",
            "https://user@evil.example/",
            "javascript:alert(1)",
            "https://wiki.example.org/a\"b",
        ] {
            let err = Wiki::parse(input).unwrap_err();
            assert!(matches!(err, WikiError::BadWikiAddress { .. }), "{input}");
        }
        assert_eq!(
            Wiki::parse("http://wikitech.wikimedia.org").unwrap_err().to_string(),
            "“http://wikitech.wikimedia.org” is not a wiki address irdoc can use: it must use https (plain http only for 127.0.0.1 and localhost)"
        );
    }

    #[test]
    fn titles_and_every_page_address_name_what_to_read() {
        let w = wikitech();
        let title = Ok(Target::Title(T.to_owned()));
        for input in [
            T,
            "  Incidents/2025-03-31_sessionstore_unavailability ",
            "Incidents/2025-03-31  sessionstore unavailability#Timeline",
            "https://wikitech.wikimedia.org/wiki/Incidents/2025-03-31_sessionstore_unavailability",
            "https://wikitech.wikimedia.org/wiki/Incidents/2025-03-31_sessionstore_unavailability#Timeline",
            "https://wikitech.wikimedia.org/wiki/Incidents%2F2025-03-31%20sessionstore%20unavailability",
            "https://wikitech.wikimedia.org/w/index.php?title=Incidents/2025-03-31_sessionstore_unavailability&action=edit",
            "https://wikitech.wikimedia.org/w/index.php?action=history&title=Incidents%2F2025-03-31+sessionstore+unavailability",
            "/wiki/Incidents/2025-03-31_sessionstore_unavailability",
        ] {
            assert_eq!(w.target(input), title, "{input}");
        }
        for input in [
            "https://wikitech.wikimedia.org/w/index.php?title=Incidents/2025-03-31_sessionstore_unavailability&oldid=2280",
            "https://wikitech.wikimedia.org/w/index.php?oldid=2280",
            "https://wikitech.wikimedia.org/wiki/Incidents/X?oldid=2280",
        ] {
            assert_eq!(w.target(input), Ok(Target::Revision(2280)), "{input}");
        }
        assert_eq!(
            w.target("Incidents/Ünïcode – dash"),
            Ok(Target::Title("Incidents/Ünïcode – dash".into()))
        );
        assert_eq!(
            w.target("https://wikitech.wikimedia.org/wiki/Incidents/%C3%9Cn"),
            Ok(Target::Title("Incidents/Ün".into()))
        );
    }

    #[test]
    fn what_is_not_a_page_says_why() {
        let w = wikitech();
        assert_eq!(w.target("  "), Err(WikiError::NoTitle));
        assert!(matches!(
            w.target("Incidents/a[b]"),
            Err(WikiError::BadTitle { .. })
        ));
        assert!(matches!(
            w.target(&"x".repeat(300)),
            Err(WikiError::BadTitle { .. })
        ));
        for input in [
            "https://wikitech.wikimedia.org/w/api.php",
            "https://wikitech.wikimedia.org/w/index.php?oldid=abc",
            "https://wikitech.wikimedia.org/w/index.php?oldid=0",
            "https://wikitech.wikimedia.org/",
            "https://wikitech.wikimedia.org/wiki/%FF",
        ] {
            assert!(
                matches!(w.target(input), Err(WikiError::NotAPageUrl { .. })),
                "{input}"
            );
        }
        let other = w
            .target("https://en.wikipedia.org/wiki/Incidents/X")
            .unwrap_err();
        assert_eq!(
            other.to_string(),
            "“https://en.wikipedia.org/wiki/Incidents/X” is on another site than the wiki irdoc works with (https://wikitech.wikimedia.org): change the wiki first"
        );
        let team = Wiki::parse("https://example.org/team").unwrap();
        assert!(matches!(
            team.target("https://example.org/wiki/X"),
            Err(WikiError::OtherWiki { .. })
        ));
        assert_eq!(
            team.target("https://example.org/team/wiki/X"),
            Ok(Target::Title("X".into()))
        );
    }

    #[test]
    fn urls_are_built_with_encoded_titles() {
        let w = Wiki::parse("http://127.0.0.1:8081").unwrap();
        assert_eq!(
            w.read_url(&Target::Title("Incidents/a & b?".into())),
            "http://127.0.0.1:8081/w/api.php?action=query&prop=revisions&rvprop=content%7Cids%7Ctimestamp&rvslots=main&formatversion=2&format=json&origin=*&curtimestamp=1&redirects=1&titles=Incidents%2Fa%20%26%20b%3F"
        );
        assert!(w
            .read_url(&Target::Revision(9))
            .ends_with("&curtimestamp=1&revids=9"));
        assert_eq!(
            w.page_url(T),
            "http://127.0.0.1:8081/wiki/Incidents/2025-03-31_sessionstore_unavailability"
        );
        assert_eq!(w.page_url("a?b&c"), "http://127.0.0.1:8081/wiki/a%3Fb%26c");
        assert!(w
            .list_url(None)
            .contains("list=allpages&apprefix=Incidents%2F&"));
        assert!(w
            .list_url(Some("Incidents/2019 x"))
            .ends_with("&apcontinue=Incidents%2F2019%20x"));
    }

    fn answer(page: &str) -> String {
        format!(
            r#"{{"batchcomplete":true,"curtimestamp":"2025-04-02T08:00:00Z","query":{{"pages":[{page}]}}}}"#
        )
    }

    #[test]
    fn reads_a_revision() {
        let text = answer(
            r#"{"pageid":3,"ns":0,"title":"Incidents/X","revisions":[{"revid":12,"parentid":11,"timestamp":"2025-04-01T10:00:00Z","slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"== Summary ==\nA \u00a0b"}}}]}"#,
        );
        let page = read_answer(&Target::Title("Incidents/X".into()), &text).unwrap();
        assert_eq!(
            page,
            Page {
                title: "Incidents/X".into(),
                revid: 12,
                timestamp: "2025-04-01T10:00:00Z".into(),
                now: "2025-04-02T08:00:00Z".into(),
                content: "== Summary ==\nA \u{a0}b".into(),
            }
        );
        let origin = page.origin(&wikitech());
        assert_eq!(
            origin.page_url(),
            "https://wikitech.wikimedia.org/wiki/Incidents/X"
        );
        assert_eq!(
            origin.base_for(&wikitech(), "Incidents/X"),
            Some((12, "2025-04-01T10:00:00Z"))
        );
        assert_eq!(
            origin.base_for(&wikitech(), "incidents/X"),
            Some((12, "2025-04-01T10:00:00Z"))
        );
        assert_eq!(origin.base_for(&wikitech(), "Incidents/Y"), None);
        let local = Wiki::parse("http://localhost").unwrap();
        assert_eq!(origin.base_for(&local, "Incidents/X"), None);
        let revision = read_answer(&Target::Revision(12), &text).unwrap();
        assert_eq!(revision.revid, 12);
        assert!(matches!(
            read_answer(&Target::Revision(13), &text),
            Err(WikiError::Malformed { .. })
        ));
    }

    #[test]
    fn every_refusal_is_typed_with_a_message() {
        let t = Target::Title("Incidents/X".into());
        let cases: [(String, &str); 10] = [
            (answer(r#"{"ns":0,"title":"Incidents/X","missing":true}"#), "the wiki has no page “Incidents/X” (check the title)"),
            (answer(r#"{"title":"a<b","invalidreason":"The requested page title contains invalid characters: \"<\".","invalid":true}"#), "“a<b” is not a page title: The requested page title contains invalid characters: \"<\"."),
            (r#"{"query":{"redirects":[{"from":"Incidents/X","to":"Incidents/Y"}],"pages":[{"title":"Incidents/Y","revisions":[]}]}}"#.into(), "“Incidents/X” is a redirect to “Incidents/Y”: open “Incidents/Y” instead"),
            (answer(r#"{"title":"MediaWiki:Common.css","revisions":[{"revid":1,"timestamp":"2025-04-01T10:00:00Z","slots":{"main":{"contentmodel":"css","content":"a{}"}}}]}"#), "“MediaWiki:Common.css” is not a wikitext page (its content model is css)"),
            (answer(r#"{"title":"Incidents/X","revisions":[{"revid":1,"timestamp":"2025-04-01T10:00:00Z","slots":{"main":{"contentmodel":"wikitext","texthidden":true}}}]}"#), "the text of this revision of “Incidents/X” is hidden on the wiki"),
            (r#"{"error":{"code":"readapidenied","info":"You need read permission to use this module.","docref":"See …"},"servedby":"mw1"}"#.into(), "the wiki refused the request: You need read permission to use this module. (readapidenied)"),
            ("<!DOCTYPE html><html>".into(), "the wiki's answer is not a MediaWiki API answer (not JSON): is the wiki address right?"),
            (r#"{"batchcomplete":true}"#.into(), "the wiki's answer is not a MediaWiki API answer (no query result): is the wiki address right?"),
            (r#"{"query":{"pages":[{"title":"Incidents/X","revisions":[{"revid":"x"}]}]}}"#.into(), ""),
            (r#"{"query":{"pages":[{"title":"A","revisions":[]},{"title":"B"}]}}"#.into(), ""),
        ];
        for (text, message) in cases {
            let err = read_answer(&t, &text).unwrap_err();
            if !message.is_empty() {
                assert_eq!(err.to_string(), message, "{text}");
            } else {
                assert!(matches!(err, WikiError::Malformed { .. }), "{text}: {err}");
            }
        }
        let bad_rev =
            r#"{"batchcomplete":true,"query":{"badrevids":{"99":{"revid":99,"missing":true}}}}"#;
        assert_eq!(
            read_answer(&Target::Revision(99), bad_rev),
            Err(WikiError::NoRevision { revid: 99 })
        );
        assert_eq!(
            WikiError::Unreachable { wiki: "http://127.0.0.1:9".into(), offline: false }.to_string(),
            "the wiki at http://127.0.0.1:9 could not be reached: it may be down, the address may be wrong, or it does not let other sites read it (CORS)"
        );
    }

    #[test]
    fn lists_incident_pages_and_filters_them_by_words() {
        let text = r#"{"batchcomplete":true,"continue":{"apcontinue":"Incidents/2019-01-01_x","continue":"-||"},"query":{"allpages":[{"pageid":2,"ns":0,"title":"Incidents/2025-03-31 sessionstore unavailability"},{"pageid":1,"ns":0,"title":"Incidents/2024-07-21 s4 and x1 write overload"}]}}"#;
        let list = list_answer(text).unwrap();
        assert_eq!(list.next.as_deref(), Some("Incidents/2019-01-01_x"));
        assert_eq!(list.titles.len(), 2);
        assert_eq!(
            matching(&list.titles, ""),
            [list.titles[0].as_str(), list.titles[1].as_str()]
        );
        assert_eq!(
            matching(&list.titles, "SESSIONSTORE 2025"),
            [list.titles[0].as_str()]
        );
        assert_eq!(matching(&list.titles, "write_overload"), Vec::<&str>::new());
        assert_eq!(
            matching(&list.titles, "write overload"),
            [list.titles[1].as_str()]
        );
        let last = list_answer(r#"{"query":{"allpages":[]}}"#).unwrap();
        assert_eq!(last, PageList::default());
        assert!(matches!(
            list_answer("{\"error\":{\"code\":\"x\",\"info\":\"y\"}}"),
            Err(WikiError::Api { .. })
        ));
    }

    #[test]
    fn lists_and_changes_are_escaped_html() {
        let w = Wiki::parse("http://127.0.0.1:8081").unwrap();
        let html = list_html(&w, &["Incidents/<b>\"x\" & 'y'"]);
        assert_eq!(
            html,
            "<li data-testid=\"wiki-list-item\"><a href=\"http://127.0.0.1:8081/wiki/Incidents/%3Cb%3E%22x%22_%26_%27y%27\" target=\"_blank\" rel=\"noopener\">Incidents/&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;</a> <button type=\"button\" data-testid=\"wiki-list-open\" data-action=\"open\" data-open=\"Incidents/&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;\">Open</button></li>"
        );
        assert!(list_html(&w, &[]).contains("No incident pages match."));
        let page = crate::test_pages::SESSIONSTORE;
        let base = crate::import(page).report;
        let mut wiki = base.clone();
        wiki.summary.push_str("\n<script>alert(1)</script>");
        let html = changes_html(&crate::compare::changes(&base, &wiki));
        assert!(html.contains("data-section=\"Summary\"><h4>Summary</h4>"));
        assert!(html.contains("<ins>+ &lt;script&gt;alert(1)&lt;/script&gt;\n</ins>"));
        assert!(html.contains("data-take=\"Summary\""));
        assert!(!html.contains("<script"));
        let other = crate::compare::SectionChange {
            section: "Other sections",
            lines: vec![],
        };
        assert!(!changes_html(&[other]).contains("data-take"));
    }

    #[test]
    fn the_publish_form_has_mediawikis_fields_in_order() {
        let w = Wiki::parse("http://127.0.0.1:8081").unwrap();
        let existing = w.publish_form(&Publish {
            title: "Incidents/a & b",
            text: "line\n",
            summary: "Updated with irdoc",
            base: Some((12, "2025-04-01T10:00:00Z")),
            started: "2025-04-02T08:00:00Z",
        });
        assert_eq!(
            existing.action,
            "http://127.0.0.1:8081/w/index.php?title=Incidents%2Fa%20%26%20b&action=submit"
        );
        let names: Vec<_> = existing.fields.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "wpUnicodeCheck",
                "wpSection",
                "wpStarttime",
                "wpEdittime",
                "editRevId",
                "wpTextbox1",
                "wpSummary",
                "model",
                "format",
                "wpDiff",
                "wpUltimateParam"
            ]
        );
        let value = |form: &Form, name: &str| {
            form.fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            value(&existing, "wpEdittime").as_deref(),
            Some("20250401100000")
        );
        assert_eq!(
            value(&existing, "wpStarttime").as_deref(),
            Some("20250402080000")
        );
        assert_eq!(value(&existing, "editRevId").as_deref(), Some("12"));
        assert_eq!(value(&existing, "wpTextbox1").as_deref(), Some("line\n"));
        assert_eq!(
            value(&existing, "wpUnicodeCheck").as_deref(),
            Some(UNICODE_CHECK)
        );
        let new = w.publish_form(&Publish {
            base: None,
            ..Publish {
                title: "N",
                text: "t",
                summary: "s",
                base: None,
                started: "",
            }
        });
        assert_eq!(value(&new, "wpPreview").as_deref(), Some("1"));
        assert_eq!(value(&new, "wpDiff"), None);
        assert_eq!(value(&new, "editRevId").as_deref(), Some("0"));
        assert_eq!(value(&new, "wpEdittime").as_deref(), Some(""));
        assert_eq!(new.fields.last().map(|(n, _)| *n), Some("wpUltimateParam"));
        assert_eq!(mw_timestamp("2025-04-01 10:00:00"), "");
    }
}
