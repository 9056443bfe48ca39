//! Forms, confirmations and the kill signal picker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{centered, clear, theme};
use crate::app::activity::on_host;
use crate::app::dialog::{
    Confirm, Dialog, Field, FieldId, Form, KillPicker, Picker, SIGNALS, Submit,
};
use crate::app::keymap::DialogAction;
use crate::app::{App, Keymap};
use crate::docker::Op;
use crate::format::inert;
use crate::run_spec::RunField;

/// How the docker CLI is told the host of an op (`None`: the dialog's own host): in a fleet
/// the previews' `$ docker …` lines say which host, as the command log does.
type Flag<'a> = &'a dyn Fn(Option<&Op>) -> &'a str;

pub fn render(frame: &mut Frame, area: Rect, dialog: &Dialog, app: &App) {
    let host = dialog.host();
    let flag = |op: Option<&Op>| match op {
        // Marked rows on another host than the dialog's go to their own.
        Some(op) => app.cli_flag(app.op_host(op, Some(host))),
        None => app.cli_flag(host),
    };
    draw(frame, area, dialog, &app.keymap, &flag);
}

fn draw(frame: &mut Frame, area: Rect, dialog: &Dialog, keymap: &Keymap, flag: Flag) {
    match dialog {
        Dialog::Form(form) => form_view(frame, area, form, keymap, flag),
        Dialog::Confirm(confirm) => confirm_view(frame, area, confirm, flag),
        Dialog::Kill(picker) => kill_view(frame, area, picker),
        Dialog::Pick(picker) => pick_view(frame, area, picker),
    }
}

/// A bordered box of `lines`; its title, which often names something from Docker (a
/// container, a file), is made inert here.
fn popup(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, width: u16) {
    // As tall as its lines wrapped inside the borders, plus a row for word wrapping.
    let inner = width.min(area.width).saturating_sub(2);
    let height = super::wrapped_rows(&lines, inner) as u16 + 3;
    let rect = centered(area, width, height);
    clear(frame, rect);
    let mut block = Block::bordered()
        .title(Line::styled(inert(title), theme::title()))
        .border_style(theme::border(true));
    // A terminal too short for it: the last lines are cut, and the border says so.
    if height > rect.height {
        let cut = Line::styled(" … more below: a taller terminal shows it ", theme::key());
        block = block.title_bottom(cut.right_aligned());
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        rect,
    );
}

/// A text value with the cursor drawn as a reversed cell (the whole value, when it is a
/// selected suggestion that typing replaces).
fn with_cursor(value: &str, cursor: usize, focused: bool, selected: bool) -> Vec<Span<'static>> {
    let value = inert(value);
    if !focused {
        return vec![Span::raw(value)];
    }
    if selected {
        return vec![Span::styled(value, theme::cursor())];
    }
    let before: String = value.chars().take(cursor).collect();
    let at: String = value.chars().nth(cursor).map_or(" ".into(), String::from);
    let after: String = value.chars().skip(cursor + 1).collect();
    vec![
        Span::raw(before),
        Span::styled(at, theme::cursor()),
        Span::raw(after),
    ]
}

fn form_view(frame: &mut Frame, area: Rect, form: &Form, keymap: &Keymap, flag: Flag) {
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        field_lines(&mut lines, field, i == form.focus);
        if field.id() == FieldId::Run(RunField::Network) && !form.networks.is_empty() {
            let known = format!("    the daemon's: {}", form.networks.join(", "));
            lines.push(Line::styled(inert(&known), theme::dim()));
        }
        // No error before the user has typed something.
        if let Some((at, message)) = &form.error
            && *at == i
            && form.touched
        {
            lines.push(Line::styled(
                format!("    ✗ {}", inert(message)),
                theme::error(),
            ));
        }
    }
    lines.push(Line::raw(""));
    if let Some(hint) = form.hint() {
        lines.push(Line::styled(hint, theme::dim()));
    }
    lines.push(Line::styled(submit_rule(form, keymap), theme::dim()));
    if let Some(outcome) = submit_outcome(form, keymap, flag) {
        lines.push(Line::styled(outcome, theme::dim()));
    }
    popup(frame, area, &form.title(), lines, 78);
}

/// A field's lines: its label and value, the cursor in it when focused.
fn field_lines(lines: &mut Vec<Line<'static>>, field: &Field, focused: bool) {
    let marker = if focused { "▸ " } else { "  " };
    let label = Span::styled(format!("{marker}{}: ", field.label()), theme::key());
    match field {
        Field::Toggle { on, .. } => {
            let mark = if *on { "[x]" } else { "[ ]" };
            let style = if focused {
                theme::cursor()
            } else {
                Style::new()
            };
            lines.push(Line::from(vec![label, Span::styled(mark, style)]));
        }
        Field::Text { input, .. } => {
            // Multi-line values: the label on the first line, the rest indented.
            let mut offset = 0;
            for (n, part) in input.value.split('\n').enumerate() {
                let len = part.chars().count();
                let here = focused && input.cursor >= offset && input.cursor <= offset + len;
                let mut spans = if n == 0 {
                    vec![label.clone()]
                } else {
                    vec![Span::raw("    ")]
                };
                let at = input.cursor.saturating_sub(offset);
                spans.extend(with_cursor(part, at, here, input.selected));
                lines.push(Line::from(spans));
                offset += len + 1;
            }
        }
    }
}

/// One rule for submitting, said in the form.
fn submit_rule(form: &Form, keymap: &Keymap) -> String {
    let confirm = keymap.key_for(DialogAction::Confirm.into());
    let next = keymap.key_for(DialogAction::NextField.into());
    let multiline = form.fields.iter().any(|f| {
        matches!(
            f,
            Field::Text {
                multiline: true,
                ..
            }
        )
    });
    if multiline {
        format!("{confirm} submits from any field (in env it adds a line; {next} moves on).")
    } else {
        format!("{confirm} submits from any field.")
    }
}

/// What submitting does now (the docker CLI line, when there is one), or what stops it.
fn submit_outcome(form: &Form, keymap: &Keymap, flag: Flag) -> Option<String> {
    let confirm = keymap.key_for(DialogAction::Confirm.into());
    match form.submit() {
        Ok(Submit::Op(op)) => Some(format!("$ {}", inert(&on_host(&op.cli(), flag(Some(&op)))))),
        Ok(Submit::Explore(r)) => Some(format!(
            "{confirm} shows the structure of {}",
            inert(&r.normalized())
        )),
        Ok(Submit::AddHost(typed)) => Some(format!(
            "{confirm} connects to {} beside the other hosts (,ro at the end: read-only)",
            inert(&typed)
        )),
        Ok(Submit::Exec { container, command }) => {
            let line = crate::run_spec::join_command(&command);
            let cli = format!("docker container exec -it {} {line}", container.name);
            Some(inert(&format!("$ {}", on_host(&cli, flag(None)))))
        }
        Err(_) if form.touched => Some("Fix the field marked ✗ to continue.".to_string()),
        Err(_) => None,
    }
}

fn confirm_view(frame: &mut Frame, area: Rect, confirm: &Confirm, flag: Flag) {
    let mut lines: Vec<Line> = confirm.lines.iter().map(|l| Line::raw(inert(l))).collect();
    if !confirm.choices.is_empty() {
        lines.push(Line::raw(""));
    }
    for choice in &confirm.choices {
        let mark = if choice.on { "[x]" } else { "[ ]" };
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", choice.key), theme::key()),
            Span::raw(format!("{mark} {}", choice.label)),
        ]));
    }
    lines.push(Line::raw(""));
    for op in confirm.ops() {
        lines.push(Line::styled(
            format!("$ {}", inert(&on_host(&op.cli(), flag(Some(&op))))),
            theme::dim(),
        ));
    }
    popup(frame, area, &confirm.title, lines, 72);
}

fn kill_view(frame: &mut Frame, area: Rect, picker: &KillPicker) {
    let names: Vec<String> = picker.labels.iter().map(|l| inert(l)).collect();
    let mut lines = vec![Line::raw(format!("Send a signal to {}:", names.join(", ")))];
    for (i, signal) in SIGNALS.iter().enumerate() {
        let style = if i == picker.index {
            theme::selected(true)
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!("  {signal:<10}"), style));
    }
    popup(frame, area, " Kill ", lines, 48);
}

/// A list to pick from, the selected item marked as the kill picker marks its signal; a
/// list taller than the screen scrolls to keep it in view.
fn pick_view(frame: &mut Frame, area: Rect, picker: &Picker) {
    let height = usize::from(area.height.saturating_sub(6)).max(1);
    let offset = (picker.index + 1).saturating_sub(height);
    let lines: Vec<Line> = picker
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, (label, _))| {
            let text = format!(
                " {} {}",
                if i == picker.index { "›" } else { " " },
                inert(label)
            );
            if i == picker.index {
                Line::styled(text, theme::selected(true))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    popup(frame, area, &picker.title, lines, 60);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docker::Target;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn drawn(dialog: &Dialog) -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 20)).expect("terminal");
        terminal
            .draw(|frame| draw(frame, frame.area(), dialog, &Keymap::default(), &|_| ""))
            .expect("draw");
        format!("{}", terminal.backend())
    }

    /// A file name from the container, in the Download and Upload titles: a bidi override
    /// or an escape never reaches the terminal.
    #[test]
    fn download_and_upload_titles_are_inert() {
        let container = Target {
            id: "abc".into(),
            name: "web\u{1b}]0;x\u{7}".into(),
        };
        for form in [
            Form::download(container.clone(), "/srv/evil\u{202e}gpj.exe".into()),
            Form::upload(container.clone(), "/srv/in\u{2066}\u{61c}box".into()),
        ] {
            let screen = drawn(&Dialog::Form(form));
            for c in ['\u{202e}', '\u{2066}', '\u{61c}', '\u{1b}', '\u{7}'] {
                assert!(!screen.contains(c), "{:x} in {screen}", c as u32);
            }
            assert!(screen.contains("web"), "{screen}");
        }
    }
}
