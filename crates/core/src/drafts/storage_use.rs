//! How full the site's localStorage is.
//!
//! localStorage holds about 5 MiB per site, counted as UTF-16 code units of keys plus values
//! and shared by every page of the site. [`StorageUse`] measures irdoc's part and the whole,
//! and says when to make room.

/// How much localStorage keeps per site, in UTF-16 code units of keys plus values: 5 MiB in
/// Chromium and Firefox. A write beyond it fails (QuotaExceededError).
pub const STORAGE_LIMIT: usize = 5 * 1024 * 1024;

/// From this share of [`STORAGE_LIMIT`] on, the author is told to make room: early enough
/// that a few more autosaves of a large draft still fit.
pub const WARN_PERCENT: usize = 80;

/// What the site's localStorage holds, in the code units its limit counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StorageUse {
    /// irdoc's entries (`irdoc:` keys).
    pub irdoc: usize,
    /// Every entry of the site, irdoc's included: all of them count towards the limit.
    pub total: usize,
}

impl StorageUse {
    /// Measures storage entries given as (key, length of the value in UTF-16 code units).
    pub fn measure<K: AsRef<str>>(entries: impl IntoIterator<Item = (K, usize)>) -> StorageUse {
        let mut use_ = StorageUse::default();
        for (key, value_units) in entries {
            let key = key.as_ref();
            let units = key.encode_utf16().count() + value_units;
            use_.total += units;
            if key.starts_with("irdoc:") {
                use_.irdoc += units;
            }
        }
        use_
    }

    /// The share of the limit in use, in whole percent, rounded down (100 only when full).
    pub fn percent(&self) -> usize {
        self.total * 100 / STORAGE_LIMIT
    }

    /// The figures: “Drafts take 12 KB of the 5 MB this browser keeps for this site.”
    pub fn summary(&self) -> String {
        let others = self.total.saturating_sub(self.irdoc);
        let others = if others > 0 {
            format!(" (other pages of this site take {})", size(others))
        } else {
            String::new()
        };
        format!(
            "Drafts take {} of the {} this browser keeps for this site{others}.",
            size(self.irdoc),
            size(STORAGE_LIMIT)
        )
    }

    /// What to do, from [`WARN_PERCENT`] of the limit on.
    pub fn warning(&self) -> Option<String> {
        (self.percent() >= WARN_PERCENT).then(|| {
            format!(
                "This site's storage is {}% full ({} of {}): once it is full, edits can no longer \
                 be saved. Download a backup of all drafts, then delete the drafts you no longer need.",
                self.percent(),
                size(self.total),
                size(STORAGE_LIMIT)
            )
        })
    }
}

/// A size in code units, in KB or MB of 1024 as file sizes are read: drafts are mostly ASCII
/// JSON, so a code unit is about a byte of the same text in a file. Rounded up below 1 MB, so
/// that something stored never reads as 0 KB.
fn size(units: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * KB;
    let kb = units.div_ceil(KB);
    if kb < 1000 {
        return format!("{kb} KB");
    }
    let tenths = (units * 10 + MB / 2) / MB;
    match tenths % 10 {
        0 => format!("{} MB", tenths / 10),
        d => format!("{}.{d} MB", tenths / 10),
    }
}
