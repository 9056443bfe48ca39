//! The stats view: the latest figures and a chart of CPU and memory.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Sparkline};

use super::{theme, view_area};
use crate::app::stats::StatsView;
use crate::docker::stats::Sample;
use crate::format::{human_size, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &StatsView) {
    let rect = view_area(frame, area);
    let state = match &view.ended {
        Some(reason) => format!("ended: {}", inert(reason)),
        None => "live".into(),
    };
    let block = Block::bordered()
        .title(Line::styled(
            format!(" Stats · {} · {state} ", inert(&view.container)),
            theme::title(),
        ))
        .border_style(theme::border(true));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let Some(last) = view.samples.back() else {
        frame.render_widget(
            Paragraph::new(Line::styled("waiting for the first sample…", theme::dim())),
            inner,
        );
        return;
    };
    let figures = figures(last);
    let [text, cpu, mem] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(figures), text);
    charts(frame, view, inner.width, cpu, mem);
}

/// The latest sample's figures, as `docker stats` lists them.
fn figures(last: &Sample) -> Vec<Line<'static>> {
    let memory_percent = if last.memory_limit > 0 {
        last.memory as f64 / last.memory_limit as f64 * 100.0
    } else {
        0.0
    };
    vec![
        Line::raw(format!(
            "CPU {:>7.2} %      MEM {} / {} ({memory_percent:.2} %)      PIDS {}",
            last.cpu_percent,
            human_size(last.memory as i64),
            human_size(last.memory_limit as i64),
            last.pids
        )),
        Line::raw(format!(
            "NET I/O {} / {}      BLOCK I/O {} / {}",
            human_size(last.net_rx as i64),
            human_size(last.net_tx as i64),
            human_size(last.block_read as i64),
            human_size(last.block_write as i64)
        )),
    ]
}

/// CPU and memory over the last two minutes, each with its peak.
fn charts(frame: &mut Frame, view: &StatsView, width: u16, cpu: Rect, mem: Rect) {
    // Hundredths of a percent keep small loads visible in the chart.
    let cpu_points: Vec<u64> = view
        .samples
        .iter()
        .map(|s| (s.cpu_percent * 100.0) as u64)
        .collect();
    let mem_points: Vec<u64> = view.samples.iter().map(|s| s.memory).collect();
    let chart = |title: String, points: &[u64], style: Style| {
        let width = usize::from(width.saturating_sub(2));
        let start = points.len().saturating_sub(width);
        Sparkline::default()
            .block(
                Block::bordered()
                    .title(title)
                    .border_style(theme::border(false)),
            )
            .data(points[start..].to_vec())
            .style(style)
    };
    let peak_cpu = view
        .samples
        .iter()
        .map(|s| s.cpu_percent)
        .fold(0.0, f64::max);
    let peak_mem = view.samples.iter().map(|s| s.memory).max().unwrap_or(0);
    frame.render_widget(
        chart(
            format!(" CPU % (peak {peak_cpu:.2}) "),
            &cpu_points,
            theme::chart_cpu(),
        ),
        cpu,
    );
    frame.render_widget(
        chart(
            format!(" memory (peak {}) ", human_size(peak_mem as i64)),
            &mem_points,
            theme::chart_memory(),
        ),
        mem,
    );
}
