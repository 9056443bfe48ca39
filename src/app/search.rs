//! Regex search over lines of text, shared by the views that have one (logs, inspect):
//! typing the pattern, compiling it with a message when it is invalid, and finding the
//! next match.

use crossterm::event::{KeyCode, KeyEvent};
use regex::Regex;

use super::text_input::TextInput;

#[derive(Debug, Clone, Default)]
pub struct Search {
    pub regex: Option<Regex>,
    /// The pattern being typed.
    pub input: Option<TextInput>,
    /// A message about the search (or the view's last action): text and whether it is an error.
    pub note: Option<(String, bool)>,
    /// The match shown now (an index into the texts searched), and "match 2 of 5".
    pub current: Option<usize>,
    pub position: Option<(usize, usize)>,
}

/// What a key did while a pattern was being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    Editing,
    /// Enter with a valid pattern (an empty one clears the search).
    Applied,
    Cancelled,
}

impl Search {
    pub fn start(&mut self) {
        self.input = Some(TextInput::default());
    }

    /// Handles a key while typing; `None` when no pattern is being typed.
    pub fn key(&mut self, key: &KeyEvent) -> Option<Typed> {
        let input = self.input.as_mut()?;
        Some(match key.code {
            KeyCode::Esc => {
                self.input = None;
                Typed::Cancelled
            }
            KeyCode::Enter => match Regex::new(&input.value) {
                Ok(re) => {
                    self.regex = (!input.value.is_empty()).then_some(re);
                    self.input = None;
                    self.note = None;
                    self.current = None;
                    self.position = None;
                    Typed::Applied
                }
                Err(e) => {
                    // The regex crate's last line says what is wrong.
                    let why = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    self.note = Some((format!("invalid regex: {why}"), true));
                    Typed::Editing
                }
            },
            _ => {
                input.handle(key);
                Typed::Editing
            }
        })
    }

    /// Makes `at` the current match: which one it is, and of how many.
    pub fn mark(&mut self, texts: &[&str], at: usize) {
        let Some(re) = &self.regex else {
            return;
        };
        let before = texts[..at.min(texts.len())]
            .iter()
            .filter(|t| re.is_match(t))
            .count();
        let total = texts.iter().filter(|t| re.is_match(t)).count();
        self.current = Some(at);
        self.position = Some((before + 1, total));
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// The nearest matching index before (`back`) or after `from`; notes when there is none.
    pub fn find(&mut self, texts: &[&str], from: usize, back: bool) -> Option<usize> {
        let Some(re) = &self.regex else {
            self.note = Some(("no search: / starts one".into(), true));
            return None;
        };
        let found = if back {
            (0..from.min(texts.len()))
                .rev()
                .find(|&i| re.is_match(texts[i]))
        } else {
            (from + 1..texts.len()).find(|&i| re.is_match(texts[i]))
        };
        self.note = found
            .is_none()
            .then(|| ("no more matches".to_string(), true));
        if let Some(i) = found {
            self.mark(texts, i);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(search: &mut Search, text: &str) -> Typed {
        search.start();
        for c in text.chars() {
            search.key(&KeyEvent::from(KeyCode::Char(c)));
        }
        search.key(&KeyEvent::from(KeyCode::Enter)).expect("typing")
    }

    #[test]
    fn invalid_patterns_say_why_and_stay_editable() {
        let mut s = Search::default();
        assert_eq!(typed(&mut s, "a(b"), Typed::Editing);
        let note = s.note.clone().expect("message");
        assert!(
            note.1 && note.0.contains("invalid regex") && note.0.contains("unclosed group"),
            "{note:?}"
        );
        assert!(s.input.is_some());
        assert_eq!(s.key(&KeyEvent::from(KeyCode::Esc)), Some(Typed::Cancelled));
        assert_eq!(
            s.key(&KeyEvent::from(KeyCode::Esc)),
            None,
            "not typing any more"
        );
    }

    #[test]
    fn finds_both_ways() {
        let mut s = Search::default();
        assert_eq!(typed(&mut s, "^x"), Typed::Applied);
        let texts = ["x1", "a", "x2", "b", "x3"];
        assert_eq!(s.find(&texts, 4, true), Some(2));
        assert_eq!(s.find(&texts, 2, true), Some(0));
        assert_eq!(s.find(&texts, 0, true), None);
        assert!(s.note.is_some());
        assert_eq!(s.find(&texts, 0, false), Some(2));
        assert_eq!(typed(&mut s, ""), Typed::Applied);
        assert!(s.regex.is_none(), "an empty pattern clears the search");
    }
}
