//! A one-line (or multi-line) text field: the editing keys every form shares.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub value: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// The whole value is selected (a pre-filled suggestion): typing replaces it, as in
    /// an address bar; a movement key keeps it and starts editing it.
    pub selected: bool,
}

impl TextInput {
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        let cursor = value.chars().count();
        Self {
            value,
            cursor,
            selected: false,
        }
    }

    /// A suggestion the user replaces by typing, or keeps by moving or submitting.
    pub fn suggested(value: impl Into<String>) -> Self {
        let mut input = Self::new(value);
        input.selected = !input.value.is_empty();
        input
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    /// Ctrl-U: empties the field.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Ctrl-W: deletes the word before the cursor (and the spaces after it), or the
    /// selected suggestion.
    pub fn delete_word(&mut self) {
        if std::mem::take(&mut self.selected) {
            return self.clear();
        }
        let chars: Vec<char> = self.value.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
        self.value.replace_range(a..b, "");
        self.cursor = start;
    }

    /// Handles an editing key; false when the key is not an editing key.
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if std::mem::take(&mut self.selected) {
            match key.code {
                // Typing or deleting replaces the whole suggestion.
                KeyCode::Char(c) if !ctrl && !c.is_control() => *self = Self::default(),
                KeyCode::Backspace | KeyCode::Delete => {
                    *self = Self::default();
                    return true;
                }
                _ => {}
            }
        }
        let len = self.value.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char('w') if ctrl => self.delete_word(),
            KeyCode::Char(c) if !ctrl && !c.is_control() => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_is_replaced_by_typing_and_kept_by_moving() {
        let mut input = TextInput::suggested("ux-tagged:v1");
        press(&mut input, KeyCode::Char('b'), KeyModifiers::NONE);
        assert_eq!(input.value, "b", "typing replaces the selected suggestion");
        let mut input = TextInput::suggested("ux-tagged:v1");
        press(&mut input, KeyCode::End, KeyModifiers::NONE);
        press(&mut input, KeyCode::Char('2'), KeyModifiers::NONE);
        assert_eq!(
            input.value, "ux-tagged:v12",
            "a movement key starts editing it"
        );
        let mut input = TextInput::suggested("x");
        press(&mut input, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!((input.value.as_str(), input.selected), ("", false));
        assert!(!TextInput::suggested("").selected);
    }

    fn press(input: &mut TextInput, code: KeyCode, modifiers: KeyModifiers) {
        input.handle(&KeyEvent::new(code, modifiers));
    }

    #[test]
    fn edits_at_the_cursor_with_unicode() {
        let mut t = TextInput::new("héllo");
        press(&mut t, KeyCode::Left, KeyModifiers::NONE);
        press(&mut t, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(t.value, "hélo");
        press(&mut t, KeyCode::Home, KeyModifiers::NONE);
        press(&mut t, KeyCode::Delete, KeyModifiers::NONE);
        press(&mut t, KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(t.value, "jélo");
        press(&mut t, KeyCode::End, KeyModifiers::NONE);
        t.insert(' ');
        t.insert('x');
        press(&mut t, KeyCode::Char('w'), KeyModifiers::CONTROL);
        assert_eq!(t.value, "jélo ");
        press(&mut t, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(t, TextInput::default());
        // Backspace at the start does nothing rather than panic.
        press(&mut t, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(t.value, "");
    }
}
