//! The report being edited, shared by every component through context.
//!
//! One `RwSignal<Report>` holds the whole document. Rows of long lists (a timeline can have
//! thousands of entries) do not subscribe to it: each row tracks its own trigger, notified
//! when that item is edited, and an epoch trigger, notified when lines move. So a keystroke
//! re-runs one row and the report-wide figures, not every row.

use std::collections::HashMap;

use irdoc_core::derived::Derived;
use irdoc_core::model::{Actionable, Bullet, Line, Lines, TimelineEntry};
use irdoc_core::{Report, Text};
use leptos::prelude::*;

/// Accessors of one part of the report, so components can be reused across fields.
pub type FieldRef<T> = fn(&Report) -> &T;
pub type FieldMut<T> = fn(&mut Report) -> &mut T;

/// A list field of the report, named so its rows can be notified one by one.
pub struct List<T: 'static> {
    pub name: &'static str,
    pub get: FieldRef<Lines<T>>,
    pub get_mut: FieldMut<Lines<T>>,
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<T> {}

pub const TIMELINE: List<TimelineEntry> = List {
    name: "timeline",
    get: |r| &r.timeline,
    get_mut: |r| &mut r.timeline,
};
pub const WENT_WELL: List<Bullet> = List {
    name: "went-well",
    get: |r| &r.went_well,
    get_mut: |r| &mut r.went_well,
};
pub const WENT_POORLY: List<Bullet> = List {
    name: "went-poorly",
    get: |r| &r.went_poorly,
    get_mut: |r| &mut r.went_poorly,
};
pub const GOT_LUCKY: List<Bullet> = List {
    name: "got-lucky",
    get: |r| &r.got_lucky,
    get_mut: |r| &mut r.got_lucky,
};
pub const ACTIONABLES: List<Actionable> = List {
    name: "actionables",
    get: |r| &r.actionables,
    get_mut: |r| &mut r.actionables,
};

#[derive(Clone, Copy)]
pub struct Doc {
    report: RwSignal<Report>,
    /// Notified whenever lines may have moved: every row re-reads its line.
    epoch: Trigger,
    rows: StoredValue<HashMap<(&'static str, usize), ArcTrigger>>,
}

pub fn provide_doc(report: Report) -> Doc {
    let doc = Doc {
        report: RwSignal::new(report),
        epoch: Trigger::new(),
        rows: StoredValue::new(HashMap::new()),
    };
    provide_context(doc);
    doc
}

pub fn use_doc() -> Doc {
    expect_context::<Doc>()
}

/// What every view shows about the report (figures, findings, score, entries out of order),
/// computed once per change for all of them.
pub fn provide_derived(doc: Doc) {
    provide_context(Memo::new(move |_| doc.with(Derived::of)));
}

pub fn use_derived() -> Memo<Derived> {
    expect_context::<Memo<Derived>>()
}

impl Doc {
    pub fn with<R>(&self, f: impl FnOnce(&Report) -> R) -> R {
        self.report.with(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&Report) -> R) -> R {
        self.report.with_untracked(f)
    }

    /// Any change; rows of every list re-read their lines.
    pub fn update(&self, f: impl FnOnce(&mut Report)) {
        self.try_update(f);
    }

    pub fn try_update<R>(&self, f: impl FnOnce(&mut Report) -> R) -> Option<R> {
        let out = self.report.try_update(f);
        self.epoch.notify();
        out
    }

    pub fn set(&self, report: Report) {
        self.report.set(report);
        self.epoch.notify();
    }

    fn row(&self, list: &'static str, index: usize) -> ArcTrigger {
        self.rows
            .try_update_value(|rows| rows.entry((list, index)).or_default().clone())
            .unwrap_or_default()
    }

    /// The line at `index` of a list, re-read only when that line or the list's shape changes.
    pub fn line<T>(&self, list: List<T>, index: usize) -> Memo<Option<Line<T>>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let (doc, row) = (*self, self.row(list.name, index));
        Memo::new(move |_| {
            doc.epoch.track();
            row.track();
            doc.report
                .with_untracked(|r| (list.get)(r).lines.get(index).cloned())
        })
    }

    /// A figure about the report's shape (lengths, positions), re-read only when lines move.
    pub fn shape<R>(&self, f: impl Fn(&Report) -> R + Send + Sync + 'static) -> Memo<R>
    where
        R: PartialEq + Send + Sync + 'static,
    {
        let doc = *self;
        Memo::new(move |_| {
            doc.epoch.track();
            doc.report.with_untracked(&f)
        })
    }

    /// Edits the item at `index` of a list, if it is still an item: only its row re-renders.
    pub fn update_item<T>(&self, list: List<T>, index: usize, f: impl FnOnce(&mut T)) {
        self.report.update(|r| {
            if let Some(item) = (list.get_mut)(r)
                .lines
                .get_mut(index)
                .and_then(Line::item_mut)
            {
                f(item);
            }
        });
        self.row(list.name, index).notify();
    }

    /// Replaces line `index` of a list as written.
    pub fn set_raw_line<T>(&self, list: List<T>, index: usize, text: String) {
        self.report.update(|r| {
            if let Some(line) = (list.get_mut)(r).lines.get_mut(index) {
                *line = Line::Raw(text);
            }
        });
        self.row(list.name, index).notify();
    }
}

/// A `Text` field as the string the author edits.
pub fn text_value(doc: Doc, get: FieldRef<Text>) -> Memo<String> {
    Memo::new(move |_| doc.with(|r| get(r).as_str().to_owned()))
}

/// Whether a `Text` field holds wikitext rather than plain text.
pub fn text_is_wiki(doc: Doc, get: FieldRef<Text>) -> Memo<bool> {
    Memo::new(move |_| doc.with(|r| get(r).is_wiki()))
}

/// Writes what the author typed, keeping the field's kind (plain stays plain).
pub fn set_text(doc: Doc, get_mut: FieldMut<Text>, value: String) {
    doc.update(|r| {
        let t = get_mut(r);
        *t = t.with_str(value);
    });
}

/// What a line of a list field shows as: rows are rebuilt only when this changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Item,
    /// A line kept as written that carries text.
    Raw,
    /// Blank or gone: nothing to show.
    Hidden,
}

pub fn line_kind<T: Clone + PartialEq + Send + Sync + 'static>(
    line: Memo<Option<Line<T>>>,
) -> Memo<LineKind> {
    Memo::new(move |_| {
        line.with(|l| match l {
            Some(Line::Item(_)) => LineKind::Item,
            Some(l) if l.is_visible_raw() => LineKind::Raw,
            _ => LineKind::Hidden,
        })
    })
}

/// The text of a raw line (empty for items).
pub fn raw_text<T: Clone + PartialEq + Send + Sync + 'static>(
    line: Memo<Option<Line<T>>>,
) -> Memo<String> {
    Memo::new(move |_| {
        line.with(|l| match l {
            Some(Line::Raw(s)) => s.clone(),
            _ => String::new(),
        })
    })
}

/// A part of the item on a line, for one control of a row.
pub fn item_part<T, R>(line: Memo<Option<Line<T>>>, part: fn(&T) -> R) -> Memo<R>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    R: Default + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        line.with(|l| {
            l.as_ref()
                .and_then(Line::item)
                .map(part)
                .unwrap_or_default()
        })
    })
}
