//! A list selection that follows its item by key, not by position, so live updates never
//! move the cursor to a different image or container.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Key of the selected row (image row key or container id).
    pub selected: Option<String>,
    pub index: usize,
    /// First row in view.
    pub offset: usize,
    /// The user (or an action of theirs) chose a row: until then the cursor stays on the
    /// first row as rows arrive (other hosts' listings, the full listing after the newest).
    pub moved: bool,
}

impl Cursor {
    /// After the rows changed: find the selected key again; if it is gone, stay at the same
    /// position (the nearest row), clamped to the new length.
    pub fn sync<'a>(&mut self, keys: impl IntoIterator<Item = &'a str>, height: usize) {
        let keys: Vec<&str> = keys.into_iter().collect();
        let find = |sel: &str| keys.iter().position(|k| *k == sel);
        self.sync_with(keys.len(), find, |i| keys[i].to_string(), height);
    }

    /// [`Self::sync`] over `len` rows whose keys are not made unless needed: `find` gives
    /// the row of a key, `key_at` a row's key.
    pub fn sync_with(
        &mut self,
        len: usize,
        find: impl Fn(&str) -> Option<usize>,
        key_at: impl Fn(usize) -> String,
        height: usize,
    ) {
        if len == 0 {
            *self = Self::default();
            return;
        }
        if !self.moved {
            self.selected = None;
            self.index = 0;
        }
        if let Some(i) = self.selected.as_deref().and_then(find) {
            self.index = i;
        }
        self.index = self.index.min(len - 1);
        self.selected = Some(key_at(self.index));
        self.scroll(len, height);
    }

    /// Moves to `index` (clamped) among `keys`.
    pub fn select<'a>(
        &mut self,
        index: usize,
        keys: impl IntoIterator<Item = &'a str>,
        height: usize,
    ) {
        self.index = index;
        self.selected = None;
        self.moved = true;
        self.sync(keys, height);
    }

    /// Selects the row of `key` once the rows are synced (a container just run, a project
    /// just folded): a choice, as a move is.
    pub fn follow(&mut self, key: String) {
        self.selected = Some(key);
        self.moved = true;
    }

    /// Keeps the selected row inside the `height` visible rows.
    fn scroll(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        if self.index < self.offset {
            self.offset = self.index;
        } else if self.index >= self.offset + height {
            self.offset = self.index + 1 - height;
        }
        // Never leave blank rows at the bottom when the list shrank.
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(v: &'a [&'a str]) -> impl ExactSizeIterator<Item = &'a str> {
        v.iter().copied()
    }

    #[test]
    fn follows_its_item_when_rows_are_added_before_it() {
        let mut c = Cursor::default();
        c.select(1, keys(&["a", "b", "c"]), 10);
        assert_eq!(c.selected.as_deref(), Some("b"));
        c.sync(keys(&["0", "a", "b", "c"]), 10);
        assert_eq!((c.index, c.selected.as_deref()), (2, Some("b")));
    }

    #[test]
    fn moves_to_the_nearest_row_when_its_item_disappears() {
        let mut c = Cursor::default();
        c.select(2, keys(&["a", "b", "c"]), 10);
        c.sync(keys(&["a", "b"]), 10);
        assert_eq!((c.index, c.selected.as_deref()), (1, Some("b")));
        c.select(1, keys(&["a", "b", "c"]), 10);
        c.sync(keys(&["a", "c"]), 10);
        assert_eq!(c.selected.as_deref(), Some("c"));
        c.sync(keys(&[]), 10);
        assert_eq!(c, Cursor::default());
    }

    #[test]
    fn stays_on_the_first_row_as_rows_arrive_until_moved() {
        let mut c = Cursor::default();
        c.sync(keys(&["m", "n"]), 10);
        c.sync(keys(&["a", "m", "n"]), 10);
        assert_eq!((c.index, c.selected.as_deref()), (0, Some("a")));
        c.select(1, keys(&["a", "m", "n"]), 10);
        c.sync(keys(&["0", "a", "m", "n"]), 10);
        assert_eq!(
            (c.index, c.selected.as_deref()),
            (2, Some("m")),
            "moved: it follows"
        );
    }

    #[test]
    fn scrolls_to_keep_the_selection_in_view() {
        let rows: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        let mut c = Cursor::default();
        c.select(12, keys(&rows), 5);
        assert_eq!(c.offset, 8);
        c.select(3, keys(&rows), 5);
        assert_eq!(c.offset, 3);
        c.select(19, keys(&rows), 5);
        c.sync(keys(&rows[..6]), 5);
        assert_eq!((c.index, c.offset), (5, 1));
    }
}
