//! Key events → the bytes a real terminal (xterm) sends for them, so programs in the
//! container (shells, vi, top) see exactly what they would in a terminal of their own.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Encodes a key; `app_cursor` is the DECCKM mode the program asked for (arrows then send
/// `ESC O A` instead of `ESC [ A`). `None` for keys a terminal sends nothing for.
pub fn encode(key: &KeyEvent, app_cursor: bool) -> Option<Vec<u8>> {
    let mods = key.modifiers;
    let ctrl = mods.contains(KeyModifiers::CONTROL);
    let alt = mods.contains(KeyModifiers::ALT);
    let shift = mods.contains(KeyModifiers::SHIFT);
    // xterm's modifier parameter: 1 + shift + 2·alt + 4·ctrl.
    let param = 1 + u8::from(shift) + 2 * u8::from(alt) + 4 * u8::from(ctrl);
    let csi = |final_byte: char| -> Vec<u8> {
        if param > 1 {
            format!("\x1b[1;{param}{final_byte}").into_bytes()
        } else if app_cursor {
            format!("\x1bO{final_byte}").into_bytes()
        } else {
            format!("\x1b[{final_byte}").into_bytes()
        }
    };
    let tilde = |n: u8| -> Vec<u8> {
        if param > 1 {
            format!("\x1b[{n};{param}~").into_bytes()
        } else {
            format!("\x1b[{n}~").into_bytes()
        }
    };
    let ss3 = |final_byte: char| -> Vec<u8> {
        if param > 1 {
            format!("\x1b[1;{param}{final_byte}").into_bytes()
        } else {
            format!("\x1bO{final_byte}").into_bytes()
        }
    };
    let bytes = match key.code {
        KeyCode::Char(c) if ctrl => {
            let byte = match c.to_ascii_lowercase() {
                c @ 'a'..='z' => c as u8 - b'a' + 1,
                '@' | ' ' | '2' => 0,
                '[' | '3' => 0x1b,
                '\\' | '4' => 0x1c,
                ']' | '5' => 0x1d,
                '^' | '6' => 0x1e,
                '_' | '/' | '7' => 0x1f,
                '8' | '?' => 0x7f,
                _ => return None,
            };
            with_alt(alt, vec![byte])
        }
        KeyCode::Char(c) => with_alt(alt, c.to_string().into_bytes()),
        KeyCode::Enter => with_alt(alt, vec![b'\r']),
        KeyCode::Tab => vec![b'\t'],
        KeyCode::BackTab => b"\x1b[Z".to_vec(),
        KeyCode::Backspace => with_alt(alt, vec![if ctrl { 0x08 } else { 0x7f }]),
        KeyCode::Esc => with_alt(alt, vec![0x1b]),
        KeyCode::Up => csi('A'),
        KeyCode::Down => csi('B'),
        KeyCode::Right => csi('C'),
        KeyCode::Left => csi('D'),
        KeyCode::Home => csi('H'),
        KeyCode::End => csi('F'),
        KeyCode::Insert => tilde(2),
        KeyCode::Delete => tilde(3),
        KeyCode::PageUp => tilde(5),
        KeyCode::PageDown => tilde(6),
        KeyCode::F(n @ 1..=4) => ss3(['P', 'Q', 'R', 'S'][usize::from(n - 1)]),
        KeyCode::F(n @ 5..=12) => tilde([15, 17, 18, 19, 20, 21, 23, 24][usize::from(n - 5)]),
        _ => return None,
    };
    Some(bytes)
}

/// Alt sends ESC before the key (xterm's default "metaSendsEscape").
fn with_alt(alt: bool, mut bytes: Vec<u8>) -> Vec<u8> {
    if alt {
        bytes.insert(0, 0x1b);
    }
    bytes
}

/// Pasted text, wrapped in bracketed-paste markers when the program asked for them.
pub fn paste(text: &str, bracketed: bool) -> Vec<u8> {
    // Newlines arrive as Enter (CR), as a terminal delivers typed lines.
    let body = text.replace("\r\n", "\r").replace('\n', "\r");
    if bracketed {
        // No escape may survive inside a paste: a (nested) end marker would end it early and
        // let the rest run as typed input.
        let body = body.replace('\x1b', "");
        format!("\x1b[200~{body}\x1b[201~").into_bytes()
    } else {
        body.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn table_in_both_cursor_modes() {
        use KeyCode as C;
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        let shift = KeyModifiers::SHIFT;
        // (key, modifiers, normal cursor mode, application cursor mode)
        let table: &[(C, KeyModifiers, &[u8], &[u8])] = &[
            (C::Char('a'), none, b"a", b"a"),
            (C::Char('A'), shift, b"A", b"A"),
            (C::Char('é'), none, "é".as_bytes(), "é".as_bytes()),
            (C::Char('c'), ctrl, b"\x03", b"\x03"),
            (C::Char('C'), ctrl, b"\x03", b"\x03"),
            (C::Char(']'), ctrl, b"\x1d", b"\x1d"),
            (C::Char(' '), ctrl, b"\x00", b"\x00"),
            (C::Char('x'), alt, b"\x1bx", b"\x1bx"),
            (C::Enter, none, b"\r", b"\r"),
            (C::Tab, none, b"\t", b"\t"),
            (C::BackTab, shift, b"\x1b[Z", b"\x1b[Z"),
            (C::Backspace, none, b"\x7f", b"\x7f"),
            (C::Esc, none, b"\x1b", b"\x1b"),
            (C::Up, none, b"\x1b[A", b"\x1bOA"),
            (C::Down, none, b"\x1b[B", b"\x1bOB"),
            (C::Right, none, b"\x1b[C", b"\x1bOC"),
            (C::Left, none, b"\x1b[D", b"\x1bOD"),
            (C::Home, none, b"\x1b[H", b"\x1bOH"),
            (C::End, none, b"\x1b[F", b"\x1bOF"),
            (C::Up, ctrl, b"\x1b[1;5A", b"\x1b[1;5A"),
            (C::Left, alt, b"\x1b[1;3D", b"\x1b[1;3D"),
            (C::Insert, none, b"\x1b[2~", b"\x1b[2~"),
            (C::Delete, none, b"\x1b[3~", b"\x1b[3~"),
            (C::PageUp, none, b"\x1b[5~", b"\x1b[5~"),
            (C::PageDown, none, b"\x1b[6~", b"\x1b[6~"),
            (C::F(1), none, b"\x1bOP", b"\x1bOP"),
            (C::F(4), none, b"\x1bOS", b"\x1bOS"),
            (C::F(5), none, b"\x1b[15~", b"\x1b[15~"),
            (C::F(12), none, b"\x1b[24~", b"\x1b[24~"),
            (C::F(5), ctrl, b"\x1b[15;5~", b"\x1b[15;5~"),
        ];
        for (code, mods, normal, app) in table {
            let key = k(*code, *mods);
            assert_eq!(encode(&key, false).as_deref(), Some(*normal), "{key:?}");
            assert_eq!(
                encode(&key, true).as_deref(),
                Some(*app),
                "{key:?} (app cursor)"
            );
        }
        assert_eq!(encode(&k(C::F(13), none), false), None);
        assert_eq!(encode(&k(C::Char('é'), ctrl), false), None);
    }

    #[test]
    fn paste_is_bracketed_only_when_asked() {
        assert_eq!(paste("a\nb", false), b"a\rb");
        assert_eq!(paste("a\nb", true), b"\x1b[200~a\rb\x1b[201~");
        assert_eq!(paste("x\x1b[201~y", true), b"\x1b[200~x[201~y\x1b[201~");
        // A nested marker cannot reassemble into a real one.
        let nested = paste("\x1b[20\x1b[201~1~rm -rf ~\r", true);
        assert_eq!(nested.windows(6).filter(|w| w == b"\x1b[201~").count(), 1);
        assert!(nested.ends_with(b"\x1b[201~"));
    }

    #[test]
    fn never_panics_on_any_key() {
        let mods = [
            KeyModifiers::NONE,
            KeyModifiers::CONTROL,
            KeyModifiers::ALT,
            KeyModifiers::SHIFT,
            KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT,
        ];
        for m in mods {
            for c in (0..0x3000u32).filter_map(char::from_u32) {
                // Whatever comes out for a character is non-empty when anything comes out.
                if let Some(bytes) = encode(&k(KeyCode::Char(c), m), false) {
                    assert!(!bytes.is_empty());
                }
            }
            for n in 0..=255 {
                let _ = encode(&k(KeyCode::F(n), m), true);
            }
        }
    }
}

/// A mouse event inside the pane, as xterm reports it to a program that asked for mouse
/// reporting (`mode`, `encoding` as the program set them); `None` when the program does not
/// want this event. `col` and `row` are 0-based cells of the program's screen.
pub fn mouse(
    event: &crossterm::event::MouseEvent,
    col: u16,
    row: u16,
    mode: vt100::MouseProtocolMode,
    encoding: vt100::MouseProtocolEncoding,
) -> Option<Vec<u8>> {
    use crossterm::event::{MouseButton, MouseEventKind as K};
    use vt100::MouseProtocolMode as M;
    let button = |b: MouseButton| match b {
        MouseButton::Left => 0u16,
        MouseButton::Middle => 1,
        MouseButton::Right => 2,
    };
    // (button code, released)
    let (code, released) = match event.kind {
        K::Down(b) => (button(b), false),
        K::Up(b) if !matches!(mode, M::Press) => (button(b), true),
        K::Drag(b) if matches!(mode, M::ButtonMotion | M::AnyMotion) => (button(b) + 32, false),
        K::Moved if matches!(mode, M::AnyMotion) => (3 + 32, false),
        K::ScrollUp => (64, false),
        K::ScrollDown => (65, false),
        _ => return None,
    };
    if mode == M::None {
        return None;
    }
    let mods = event.modifiers;
    let code =
        code + if mods.contains(KeyModifiers::SHIFT) {
            4
        } else {
            0
        } + if mods.contains(KeyModifiers::ALT) {
            8
        } else {
            0
        } + if mods.contains(KeyModifiers::CONTROL) {
            16
        } else {
            0
        };
    let (x, y) = (u32::from(col) + 1, u32::from(row) + 1);
    Some(match encoding {
        vt100::MouseProtocolEncoding::Sgr => {
            let end = if released { 'm' } else { 'M' };
            format!("\x1b[<{code};{x};{y}{end}").into_bytes()
        }
        // The old encodings report a release as button 3 and cannot say which.
        other => {
            let code = if released { 3 | (code & !3) } else { code };
            let mut bytes = b"\x1b[M".to_vec();
            for value in [u32::from(code), x, y] {
                let value = value + 32;
                match other {
                    vt100::MouseProtocolEncoding::Utf8 => {
                        let c = char::from_u32(value.min(2047)).unwrap_or(' ');
                        let mut buf = [0; 4];
                        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => bytes.push(u8::try_from(value.min(255)).unwrap_or(255)),
                }
            }
            bytes
        }
    })
}

#[cfg(test)]
mod mouse_tests {
    use super::*;
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    use vt100::{MouseProtocolEncoding as E, MouseProtocolMode as M};

    fn at(kind: MouseEventKind) -> MouseEvent {
        MouseEvent {
            kind,
            column: 0,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }
    }

    #[test]
    fn clicks_are_reported_as_xterm_does() {
        let down = at(MouseEventKind::Down(MouseButton::Left));
        let up = at(MouseEventKind::Up(MouseButton::Left));
        assert_eq!(
            mouse(&down, 4, 9, M::PressRelease, E::Sgr),
            Some(b"\x1b[<0;5;10M".to_vec())
        );
        assert_eq!(
            mouse(&up, 4, 9, M::PressRelease, E::Sgr),
            Some(b"\x1b[<0;5;10m".to_vec())
        );
        assert_eq!(
            mouse(&down, 4, 9, M::Press, E::Default),
            Some(vec![0x1b, b'[', b'M', 32, 37, 42])
        );
        assert_eq!(mouse(&up, 4, 9, M::Press, E::Default), None, "press only");
        assert_eq!(mouse(&down, 4, 9, M::None, E::Sgr), None);
        let wheel = at(MouseEventKind::ScrollDown);
        assert_eq!(
            mouse(&wheel, 0, 0, M::PressRelease, E::Sgr),
            Some(b"\x1b[<65;1;1M".to_vec())
        );
    }
}
