//! One build's view: its `docker build` line, the context sent, each step as a row (state,
//! time, the instruction and its Dockerfile line) with its output folded under it, and the
//! outcome; the failing step open, under the daemon's words and the exit code.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{theme, view_area};
use crate::app::App;
use crate::app::activity::{Entry, EntryState};
use crate::app::builds::{BuildLog, BuildView, Step, StepState};
use crate::format::{human_size, inert};

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &BuildView) {
    let rect = view_area(frame, area);
    let Some(entry) = app.activity.get(view.id) else {
        let block = Block::bordered().title(Line::styled(" Build ", theme::title()));
        let gone = Line::styled("This build has left the command log.", theme::dim());
        frame.render_widget(Paragraph::new(vec![gone]).block(block), rect);
        return;
    };
    let empty = BuildLog::default();
    let log = entry.build.as_deref().unwrap_or(&empty);
    // Inside the borders: the command and a step's output wrap, an instruction is cut with `…`.
    let inner = usize::from(rect.width.saturating_sub(2)).max(1);
    let mut lines = head(entry, log, app, inner);
    let height = usize::from(rect.height.saturating_sub(2)).saturating_sub(lines.len());
    let mut rows: Vec<(Line, bool)> = Vec::new();
    let now = match &entry.outcome {
        EntryState::Running => {
            Duration::from_secs(u64::try_from(app.now - entry.started).unwrap_or(0))
        }
        EntryState::Done { elapsed, .. } => *elapsed,
    };
    let selected = view.selected.min(log.steps.len().saturating_sub(1));
    for (i, step) in log.steps.iter().enumerate() {
        rows.push((
            step_line(step, view.open(step, i), now, inner),
            i == selected,
        ));
        if view.open(step, i) {
            if step.dropped > 0 {
                let more = format!("      … {} earlier lines", step.dropped);
                rows.push((Line::styled(more, theme::dim()), false));
            }
            for out in &step.output {
                let out = Line::raw(format!("      {}", inert(out)));
                rows.extend(super::wrap(out, inner).into_iter().map(|l| (l, false)));
            }
        }
    }
    // The selected step in view, and the newest output while it comes.
    let at = rows.iter().position(|(_, s)| *s).unwrap_or(0);
    let start = match entry.running() {
        true => rows.len().saturating_sub(height),
        false => at
            .saturating_sub(height / 2)
            .min(rows.len().saturating_sub(height)),
    };
    for (line, selected) in rows.into_iter().skip(start).take(height) {
        lines.push(match selected {
            true => line.style(theme::selected(true)),
            false => line,
        });
    }
    let name = match &entry.op {
        crate::docker::Op::Build(spec) => spec.title(),
        _ => entry.cli.clone(),
    };
    let title = format!(" Build · {} ", inert(&name));
    let block = Block::bordered()
        .title(Line::styled(title, theme::title()))
        .border_style(theme::border(true));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// The command, the context, and the outcome (the failure's words and exit code).
fn head(entry: &Entry, log: &BuildLog, app: &App, inner: usize) -> Vec<Line<'static>> {
    let cli = Line::styled(format!("$ {}", inert(&entry.cli)), theme::dim());
    let mut lines = super::wrap(cli, inner);
    let context = human_size(i64::try_from(log.context).unwrap_or(i64::MAX));
    let sent = match log.context_done {
        true => format!("context {context} sent"),
        false => format!("sending the context: {context}…"),
    };
    let state = match &entry.outcome {
        EntryState::Running => Span::styled(format!("building · {sent}"), theme::progress()),
        EntryState::Done {
            result: Ok(done),
            elapsed,
        } => Span::styled(
            format!("{} in {:.1} s · {sent}", inert(done), elapsed.as_secs_f64()),
            theme::success(),
        ),
        EntryState::Done { elapsed, .. } => Span::styled(
            format!("failed after {:.1} s · {sent}", elapsed.as_secs_f64()),
            theme::error(),
        ),
    };
    // Refused before the upload: the failure's own lines say why, with nothing sent to count.
    let refused = matches!(&entry.outcome, EntryState::Done { result: Err(_), .. }) && !log.sending;
    if !refused {
        lines.push(Line::from(state));
    }
    if let EntryState::Done { result: Err(e), .. } = &entry.outcome {
        let mut failure = super::error_lines(e, &app.keymap);
        if let Some((_, Some(code))) = &log.failure {
            failure.push(Line::styled(format!("exit code {code}"), theme::error()));
        }
        if let Some(step) = log.steps.iter().find(|s| s.state == StepState::Failed) {
            let at = step
                .line
                .map(|l| format!("Dockerfile line {l}: "))
                .unwrap_or_default();
            failure.push(Line::styled(
                format!("{at}{}", inert(&step.instruction)),
                theme::error(),
            ));
        }
        lines.extend(failure);
    }
    lines.push(Line::raw(""));
    lines
}

/// A step's row within `inner` cells: its instruction cut with `…` so `(line N)` shows.
fn step_line(step: &Step, open: bool, now: Duration, inner: usize) -> Line<'static> {
    let marker = match (step.output.is_empty(), open) {
        (true, _) => "·",
        (false, true) => "▾",
        (false, false) => "▸",
    };
    let style = match step.state {
        StepState::Running => theme::progress(),
        StepState::Cached => theme::dim(),
        StepState::Done => theme::success(),
        StepState::Failed => theme::error(),
    };
    let line = step
        .line
        .map(|l| format!(" (line {l})"))
        .unwrap_or_default();
    let mut spans = vec![
        Span::raw(format!("{marker} {:>2}/{:<2} ", step.number, step.total)),
        Span::styled(format!("{:<8}", step.state.word()), style),
        Span::raw(format!("{:>7.1} s  ", step.took(now).as_secs_f64())),
    ];
    let used: usize = spans.iter().map(Span::width).sum::<usize>() + Span::raw(&line).width();
    let room = inner.saturating_sub(used).max(1);
    spans.push(Span::styled(
        super::table::within(inert(&step.instruction), room),
        Style::new(),
    ));
    spans.push(Span::styled(line, theme::dim()));
    Line::from(spans)
}
