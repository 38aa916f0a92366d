//! `irdoc`: convert, check and score incident reports from scripts and CI.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use irdoc_core::check::{check, Severity, Tally};
use irdoc_core::json::report_to_json;
use irdoc_core::open::{read_any_with, read_as_with, Format, Opened, ReadError, Readers};
use irdoc_core::score::score;
use irdoc_core::step::Step;
use irdoc_core::{export, share, Report};

const USAGE: &str = "\
irdoc — write, check and score Wikimedia-style incident reports

Usage:
  irdoc import FILE [--from FORMAT] [--tz ±HH:MM] [--title TITLE]
                                           a page or document -> report JSON on stdout
                                           (FORMAT: wiki, html, text, md, json; documents'
                                           review on stderr; --tz: their times' zone)
  irdoc export REPORT.json                 report JSON -> wikitext on stdout
  irdoc check FILE [--json]                completeness checks; exit 1 when there are errors
  irdoc score FILE [--json]                the scorecard's score
  irdoc share FILE [--base URL]            a share link that opens the report in irdoc at URL
  irdoc open LINK                          the wikitext page in a share link (a URL or its #share=…)
  irdoc --version | --help

FILE is wikitext, report JSON, HTML, Markdown or plain text (by extension, else by
content); `-` reads stdin.
Exit status: 0 ok, 1 check found errors, 2 bad usage or unreadable input.";

/// A failure with the message the user sees.
struct Failure(String);

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("irdoc: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, Failure> {
    let json = args.iter().any(|a| a == "--json");
    let title = option_value(args, "--title")?;
    let positional: Vec<&str> = positional(args);
    match positional.as_slice() {
        [] if args.iter().any(|a| a == "--version" || a == "-V") => {
            println!("irdoc {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        [] if args.iter().any(|a| a == "--help" || a == "-h") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        ["import", file] => {
            let mut readers = Readers::default();
            if let Some(tz) = option_value(args, "--tz")? {
                readers.convert.utc_offset_minutes = parse_offset(tz)
                    .ok_or_else(|| Failure(format!("--tz {tz}: not an offset such as +02:00")))?;
            }
            let from = option_value(args, "--from")?
                .map(|f| {
                    Format::parse(f).ok_or_else(|| {
                        Failure(format!("--from {f}: not wiki, html, text, md or json"))
                    })
                })
                .transpose()?;
            let mut report = read_report_with(file, from, &readers)?;
            if let Some(t) = title {
                report.title = t.to_owned();
            }
            print_out(&report_to_json(&report))
        }
        ["export", file] => print_out(&export(&read_report(file)?)),
        ["check", file] => check_command(file, json),
        ["score", file] => score_command(file, json),
        ["share", file] => {
            let base = option_value(args, "--base")?.unwrap_or_default();
            let shared = share::Shared {
                id: String::new(),
                report: read_report(file)?,
            };
            let data = share::encode(&share::payload(&shared));
            print_out(&format!("{}\n", share::link(base, &data)))
        }
        ["open", link] => {
            let data = share::fragment_data(link)
                .ok_or_else(|| Failure("that is not a share link".into()))?;
            let bytes = share::decode(data).map_err(|e| Failure(e.to_string()))?;
            let shared = share::read_payload(&bytes).map_err(|e| Failure(e.to_string()))?;
            print_out(&export(&shared.report))
        }
        _ => Err(Failure(format!(
            "unknown command line: {}\n\n{USAGE}",
            args.join(" ")
        ))),
    }
}

fn option_value<'a>(args: &'a [String], name: &str) -> Result<Option<&'a str>, Failure> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .ok_or_else(|| Failure(format!("{name} needs a value"))),
    }
}

/// Arguments that are not options (nor an option's value).
fn positional(args: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
        } else if a == "--title" || a == "--base" || a == "--from" || a == "--tz" {
            skip = true;
        } else if !a.starts_with("--") || a == "-" {
            out.push(a.as_str());
        }
    }
    out
}

fn print_out(text: &str) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') && io::IsTerminal::is_terminal(&out) {
        out.write_all(b"\n")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn read_input(file: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    if file == "-" {
        io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file).map_err(|e| Failure(format!("{file}: {e}")))?;
    }
    Ok(bytes)
}

/// The report in any file irdoc reads; import warnings go to stderr with their line.
fn read_report(file: &str) -> Result<Report, Failure> {
    read_report_with(file, None, &Readers::default())
}

/// The report in a file read as `from` (else as it seems to be); a converted document's
/// review goes to stderr.
fn read_report_with(
    file: &str,
    from: Option<Format>,
    readers: &Readers,
) -> Result<Report, Failure> {
    let name = display_name(file);
    let fail = |e: ReadError| Failure(format!("{name}:{e}"));
    let bytes = read_input(file)?;
    let opened = match from {
        Some(format) => {
            let text = std::str::from_utf8(&bytes).map_err(|_| fail(ReadError::NotText))?;
            read_as_with(format, text, readers)
        }
        None if file == "-" => read_any_with("-", &bytes, readers),
        None => read_any_with(file, &bytes, readers),
    };
    match opened.map_err(fail)? {
        Opened::Page(page) => {
            for w in &page.warnings {
                eprintln!("{name}:{}: warning: {}", w.line, w.message);
            }
            Ok(page.report)
        }
        Opened::Document(conversion) => {
            for line in conversion.review.lines() {
                eprintln!("{name}: {line}");
            }
            Ok(conversion.report)
        }
        other => other.into_report().map_err(fail),
    }
}

/// `+02:00`, `-0700`, `+2`, `0`, `UTC`: minutes east of UTC.
fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let s = s.strip_prefix("UTC").unwrap_or(s);
    if s.is_empty() || s == "0" || s == "Z" {
        return Some(0);
    }
    let (sign, rest) = match s.as_bytes()[0] {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

fn display_name(file: &str) -> &str {
    if file == "-" {
        "<stdin>"
    } else {
        file
    }
}

fn check_command(file: &str, json: bool) -> Result<ExitCode, Failure> {
    let report = read_report(file)?;
    let findings = check(&report);
    let tally = Tally::of(&findings);
    if json {
        let value = serde_json::json!({ "errors": tally.errors, "warnings": tally.warnings, "findings": findings });
        println!("{value:#}");
    } else {
        println!("{}: {tally}", display_name(file));
        for f in &findings {
            let severity = match f.severity {
                Severity::Error => "error  ",
                Severity::Warning => "warning",
            };
            println!(
                "  {severity} {:<12} {}",
                Step::for_place(f.place).label(),
                f.message
            );
        }
    }
    Ok(if tally.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn score_command(file: &str, json: bool) -> Result<ExitCode, Failure> {
    let s = score(&read_report(file)?.scorecard);
    if json {
        let value = serde_json::json!({
            "total": s.total,
            "stated": s.stated,
            "categories": s.categories,
            "unanswered": s.unanswered,
        });
        println!("{value}");
    } else {
        let categories: Vec<String> = s
            .categories
            .iter()
            .map(|(c, n)| format!("{c} {n}/5"))
            .collect();
        println!(
            "Score {}/{} ({})",
            s.total,
            s.questions,
            categories.join(", ")
        );
        if s.unanswered > 0 {
            println!("{} unanswered", s.unanswered);
        }
        if let Some(stated) = s.mismatch() {
            println!(
                "The page states a total of {stated}; the answers count {}.",
                s.total
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
