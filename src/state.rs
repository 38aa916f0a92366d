//! The report being edited, shared by every component through context.
//!
//! One `RwSignal<Report>` holds the whole document. Rows of long lists (a timeline can have
//! thousands of entries) do not subscribe to it: each row tracks its own trigger, notified
//! when that item is edited, and an epoch trigger, notified when lines move. So a keystroke
//! re-runs one row and the report-wide figures, not every row.
//!
//! Each line of a list has a [`RowId`] while it is edited, kept here and not in the report
//! (it is not saved): rows are keyed by it, so a row's own state (a half-typed time) stays
//! with its line when lines are sorted, moved or deleted.

use std::collections::HashMap;

use irdoc_core::derived::Derived;
use irdoc_core::model::{Actionable, Bullet, Line, Lines, TimelineEntry};
use irdoc_core::{Report, Text};
use leptos::prelude::*;

/// Accessors of one part of the report, so components can be reused across fields.
pub type FieldRef<T> = fn(&Report) -> &T;
pub type FieldMut<T> = fn(&mut Report) -> &mut T;

/// A line's identity while the report is open.
pub type RowId = u64;

/// The ids of each list's lines, in line order. Each list counts its own ids from 0 and
/// never reuses one, so rows of a report loaded later never take over rows (and their
/// triggers and half-typed state) of the one before.
#[derive(Default)]
struct RowIds {
    lists: HashMap<&'static str, ListIds>,
}

#[derive(Default)]
struct ListIds {
    order: Vec<RowId>,
    next: RowId,
}

impl ListIds {
    fn fresh(&mut self) -> RowId {
        self.next += 1;
        self.next - 1
    }
}

impl RowIds {
    /// The ids of list `name` of `len` lines; every line gets a new id when the lines were
    /// replaced wholesale (their number differs), as by a paste of many entries.
    fn of(&mut self, name: &'static str, len: usize) -> &mut ListIds {
        let ids = self.lists.entry(name).or_default();
        if ids.order.len() != len {
            ids.order = (0..len).map(|_| ids.fresh()).collect();
        }
        ids
    }
}

/// A list field of the report, named so its rows can be notified one by one.
pub struct List<T: 'static> {
    pub name: &'static str,
    pub get: FieldRef<Lines<T>>,
    pub get_mut: FieldMut<Lines<T>>,
    /// The number of lines, without the item type: the row-id code is not generic.
    pub len: fn(&Report) -> usize,
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
    len: |r| r.timeline.lines.len(),
};
pub const WENT_WELL: List<Bullet> = List {
    name: "went-well",
    get: |r| &r.went_well,
    get_mut: |r| &mut r.went_well,
    len: |r| r.went_well.lines.len(),
};
pub const WENT_POORLY: List<Bullet> = List {
    name: "went-poorly",
    get: |r| &r.went_poorly,
    get_mut: |r| &mut r.went_poorly,
    len: |r| r.went_poorly.lines.len(),
};
pub const GOT_LUCKY: List<Bullet> = List {
    name: "got-lucky",
    get: |r| &r.got_lucky,
    get_mut: |r| &mut r.got_lucky,
    len: |r| r.got_lucky.lines.len(),
};
pub const ACTIONABLES: List<Actionable> = List {
    name: "actionables",
    get: |r| &r.actionables,
    get_mut: |r| &mut r.actionables,
    len: |r| r.actionables.lines.len(),
};

#[derive(Clone, Copy)]
pub struct Doc {
    report: RwSignal<Report>,
    /// Notified whenever lines may have moved: every row re-reads its line.
    epoch: Trigger,
    rows: StoredValue<HashMap<(&'static str, RowId), ArcTrigger>>,
    ids: StoredValue<RowIds>,
    /// Notified by each of the author's edits; replacing the report with [`Doc::load`] is not one, so
    /// autosave tracks this instead of the report.
    edits: Trigger,
    /// What every view shows about the report (figures, findings, score, entries out of
    /// order), computed once per change for all of them.
    pub derived: Memo<Derived>,
}

pub fn provide_doc(report: Report) -> Doc {
    let report = RwSignal::new(report);
    let doc = Doc {
        report,
        epoch: Trigger::new(),
        rows: StoredValue::new(HashMap::new()),
        ids: StoredValue::new(RowIds::default()),
        edits: Trigger::new(),
        derived: Memo::new(move |_| report.with(Derived::of)),
    };
    provide_context(doc);
    doc
}

pub fn use_doc() -> Doc {
    expect_context::<Doc>()
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
        self.edited();
        out
    }

    /// Puts a report in the editor that is not an edit: a draft opened or started.
    pub fn load(&self, report: Report) {
        self.report.set(report);
        // Every line is new: no row state carries over to another report.
        self.ids
            .update_value(|ids| ids.lists.values_mut().for_each(|l| l.order.clear()));
        self.rows.update_value(HashMap::clear);
        self.epoch.notify();
    }

    /// Tracks the author's edits.
    pub fn track_edits(&self) {
        self.edits.track();
    }

    fn edited(&self) {
        self.edits.notify();
    }

    fn row(&self, list: &'static str, id: RowId) -> ArcTrigger {
        self.rows
            .try_update_value(|rows| rows.entry((list, id)).or_default().clone())
            .unwrap_or_default()
    }

    fn len<T>(&self, list: List<T>) -> usize {
        self.report.with_untracked(list.len)
    }

    /// Runs `f` on the ids of a list of `len` lines (generic code stays out of it: it is
    /// the same for every list).
    fn ids<R>(&self, name: &'static str, len: usize, f: impl FnOnce(&mut ListIds) -> R) -> R {
        self.ids
            .try_update_value(|ids| f(ids.of(name, len)))
            .expect("the doc lives as long as the app")
    }

    /// The ids of a list's lines in order, re-read when lines move: what rows are keyed by.
    pub fn row_ids<T: 'static>(&self, list: List<T>) -> Memo<Vec<RowId>> {
        self.row_ids_of(list.name, list.len)
    }

    fn row_ids_of(&self, name: &'static str, len: fn(&Report) -> usize) -> Memo<Vec<RowId>> {
        let doc = *self;
        Memo::new(move |_| {
            doc.epoch.track();
            let len = doc.report.with_untracked(len);
            doc.ids(name, len, |ids| ids.order.clone())
        })
    }

    /// Where line `id` of a list is now.
    pub fn index_of<T>(&self, list: List<T>, id: RowId) -> Option<usize> {
        self.position(list.name, list.len, id)
    }

    fn position(&self, name: &'static str, len: fn(&Report) -> usize, id: RowId) -> Option<usize> {
        let len = self.report.with_untracked(len);
        self.ids(name, len, |ids| ids.order.iter().position(|&i| i == id))
    }

    /// Where line `id` of a list is now, tracking moves of lines.
    pub fn index_in_order<T>(&self, list: List<T>, id: RowId) -> Option<usize> {
        self.epoch.track();
        self.index_of(list, id)
    }

    /// Item `id`'s number among the list's items, from 1 (0 when it is not an item),
    /// re-read when lines move.
    pub fn item_number<T: 'static>(&self, list: List<T>, id: RowId) -> Memo<usize> {
        let doc = *self;
        Memo::new(move |_| {
            doc.epoch.track();
            let Some(at) = doc.index_of(list, id) else {
                return 0;
            };
            doc.report.with_untracked(|r| {
                let lines = &(list.get)(r).lines;
                match lines.get(at).and_then(Line::item) {
                    Some(_) => lines[..at].iter().filter(|l| l.item().is_some()).count() + 1,
                    None => 0,
                }
            })
        })
    }

    /// Line `id` of a list, re-read only when that line or the list's shape changes.
    pub fn line<T>(&self, list: List<T>, id: RowId) -> Memo<Option<Line<T>>>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        let (doc, row) = (*self, self.row(list.name, id));
        Memo::new(move |_| {
            doc.epoch.track();
            row.track();
            let index = doc.index_of(list, id)?;
            doc.report
                .with_untracked(|r| (list.get)(r).lines.get(index).cloned())
        })
    }

    /// Adds one line to a list: `f` inserts it and says where. Returns the new line's id.
    pub fn insert_line<T>(
        &self,
        list: List<T>,
        f: impl FnOnce(&mut Lines<T>) -> Option<usize>,
    ) -> Option<RowId> {
        let before = self.len(list);
        let at = self.report.try_update(|r| f((list.get_mut)(r))).flatten()?;
        let id = self.ids(list.name, before, |ids| {
            let id = ids.fresh();
            ids.order.insert(at.min(ids.order.len()), id);
            id
        });
        self.moved();
        Some(id)
    }

    /// Removes line `id` from a list.
    pub fn remove_line<T>(&self, list: List<T>, id: RowId) {
        let Some(at) = self.index_of(list, id) else {
            return;
        };
        self.report.update(|r| {
            (list.get_mut)(r).remove(at);
        });
        self.ids.update_value(|ids| {
            ids.lists
                .entry(list.name)
                .or_default()
                .order
                .retain(|&i| i != id);
        });
        self.rows.update_value(|rows| {
            rows.remove(&(list.name, id));
        });
        self.moved();
    }

    /// Moves item `id` past the previous (`up`) or next item of a list.
    pub fn move_item<T>(&self, list: List<T>, id: RowId, up: bool) {
        let Some(at) = self.index_of(list, id) else {
            return;
        };
        let other = self
            .report
            .try_update(|r| (list.get_mut)(r).move_item(at, up))
            .flatten();
        if let Some(other) = other {
            self.ids.update_value(|ids| {
                ids.lists
                    .entry(list.name)
                    .or_default()
                    .order
                    .swap(at, other);
            });
            self.moved();
        }
    }

    /// Puts the timeline in time order; each row moves with its entry.
    pub fn sort_timeline(&self) {
        let len = self.len(TIMELINE);
        let order = self
            .report
            .try_update(irdoc_core::analysis::sort_timeline)
            .unwrap_or_default();
        self.ids(TIMELINE.name, len, |ids| {
            ids.order = order
                .iter()
                .filter_map(|&old| ids.order.get(old).copied())
                .collect();
        });
        self.moved();
    }

    /// Lines were added, removed or moved, by the author.
    fn moved(&self) {
        self.epoch.notify();
        self.edited();
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

    /// Edits item `id` of a list, if it is still an item: only its row re-renders.
    pub fn update_item<T>(&self, list: List<T>, id: RowId, f: impl FnOnce(&mut T)) {
        let Some(index) = self.index_of(list, id) else {
            return;
        };
        self.report.update(|r| {
            if let Some(item) = (list.get_mut)(r)
                .lines
                .get_mut(index)
                .and_then(Line::item_mut)
            {
                f(item);
            }
        });
        self.row(list.name, id).notify();
        self.edited();
    }

    /// Replaces line `id` of a list as written.
    pub fn set_raw_line<T>(&self, list: List<T>, id: RowId, text: String) {
        let Some(index) = self.index_of(list, id) else {
            return;
        };
        self.report.update(|r| {
            if let Some(line) = (list.get_mut)(r).lines.get_mut(index) {
                *line = Line::Raw(text);
            }
        });
        self.row(list.name, id).notify();
        self.edited();
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
