//! The inspect view (`i` on a container, `I` on an image): a summary, the raw JSON, a
//! running container's processes, a container's changes (`docker diff`) and its moments of
//! the timeline, each scrollable and searchable.

use crossterm::event::KeyEvent;

use super::keymap::InspectAction;
use super::search::{Search, Typed};
use super::view::{Ctx, Outcome, View};
use super::{App, Pane};
use crate::docker::inspect::{InspectTarget, Inspection};
use crate::docker::{Command, OpError, StreamId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Summary,
    Json,
    Processes,
    /// A container's changes since it was created (`docker diff`).
    Changes,
    /// A container's file, in the files view's reader (its only tab).
    File,
    /// A container's moments of the timeline, newest first.
    Timeline,
}

#[derive(Debug, Clone)]
pub struct InspectView {
    pub id: StreamId,
    pub title: String,
    /// `None` while loading.
    pub result: Option<Result<Inspection, OpError>>,
    pub tab: Tab,
    /// First line in view.
    pub scroll: usize,
    pub search: Search,
    /// What a container's published ports are reached by, when its summary draws them as
    /// links (`[defaults] hyperlinks`; none on an ssh host): see `ports::reach`.
    pub links: Option<String>,
    /// A container's timeline tab (none for an image or a file).
    pub timeline: Option<super::timeline::TimelineTab>,
}

impl InspectView {
    pub fn tabs(&self) -> Vec<Tab> {
        if self.tab == Tab::File {
            return vec![Tab::File];
        }
        let mut tabs = vec![Tab::Summary, Tab::Json];
        if let Some(Ok(i)) = &self.result
            && i.top.is_some()
        {
            tabs.push(Tab::Processes);
        }
        if let Some(Ok(i)) = &self.result
            && i.changes.is_some()
        {
            tabs.push(Tab::Changes);
        }
        if self.timeline.is_some() {
            tabs.push(Tab::Timeline);
        }
        tabs
    }

    /// The current tab as lines of text.
    pub fn lines(&self) -> Vec<String> {
        // The app's own moments: there while the daemon's answer is not.
        if let (Tab::Timeline, Some(t)) = (self.tab, &self.timeline) {
            return t.lines.clone();
        }
        let Some(Ok(inspection)) = &self.result else {
            return Vec::new();
        };
        match self.tab {
            Tab::Summary => {
                let width = inspection
                    .summary
                    .iter()
                    .map(|(k, _)| k.chars().count())
                    .max()
                    .unwrap_or(0);
                inspection
                    .summary
                    .iter()
                    .map(|(k, v)| format!("{k:<width$}  {v}"))
                    .collect()
            }
            Tab::Json | Tab::File => inspection.json.lines().map(String::from).collect(),
            Tab::Processes => match &inspection.top {
                Some((titles, rows)) => table(titles, rows),
                None => Vec::new(),
            },
            Tab::Changes => match inspection.changes.as_deref() {
                Some([]) => vec!["no changes to the image's files".into()],
                Some(lines) => lines.to_vec(),
                None => Vec::new(),
            },
            Tab::Timeline => Vec::new(),
        }
    }

    /// To the next match down the page, or (`back`) up it.
    fn jump(&mut self, back: bool) {
        let lines = self.lines();
        let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
        if let Some(i) = self.search.find(&texts, self.scroll, back) {
            self.scroll = i;
        }
    }
}

/// Columns padded to their widest cell, like `ps`.
pub(super) fn table(titles: &[String], rows: &[Vec<String>]) -> Vec<String> {
    let mut widths: Vec<usize> = titles.iter().map(|t| t.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    std::iter::once(titles.to_vec())
        .chain(rows.iter().cloned())
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, c)| format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0)))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect()
}

impl App {
    /// `i`/`I`: inspect the selected container or image.
    pub(super) fn open_inspect(&mut self) -> Vec<super::effects::Routed> {
        let mut links = None;
        let (host, target, title, timeline) = match self.focus {
            Pane::Images => match (self.selected_image(), self.image_label_and_target()) {
                (Some(image), Some((name, _))) => (
                    image.host,
                    InspectTarget::Image(image.id.clone()),
                    name,
                    None,
                ),
                _ => {
                    self.activity.refuse("no image selected");
                    return Vec::new();
                }
            },
            Pane::Containers | Pane::Terminal => match self.container_or_refuse() {
                Some(c) => {
                    links = (self.host(c.host).filter(|_| self.prefs.hyperlinks))
                        .and_then(|h| super::ports::reach(&h.spec.docker_host));
                    let timeline = self.timeline_tab(c.host, c.id.as_str());
                    (
                        c.host,
                        InspectTarget::Container(c.id),
                        c.name,
                        Some(timeline),
                    )
                }
                None => return Vec::new(),
            },
        };
        let id = self.view_id();
        self.updates.inspecting = self.update_key().map(|key| (id, key));
        self.view = Some(View::Inspect(Box::new(InspectView {
            id,
            title,
            result: None,
            tab: Tab::Summary,
            scroll: 0,
            search: Search::default(),
            links,
            timeline,
        })));
        vec![(host, Command::Inspect { id, target })]
    }

    /// `host`'s answer to an inspect.
    pub(super) fn inspected(
        &mut self,
        host: crate::docker::HostId,
        id: StreamId,
        result: Result<Inspection, OpError>,
    ) -> Vec<super::effects::Routed> {
        if self.edit_asked(id) {
            return self.edit_inspected(host, result);
        }
        let result = result.map(|mut i| {
            i.summary.extend(self.update_summary(id));
            i
        });
        if let Some(view) = self.view.as_mut().and_then(View::inspecting)
            && view.id == id
        {
            view.result = Some(result);
        }
        Vec::new()
    }
}

impl InspectView {
    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(typed) = self.search.key(key) {
            if typed == Typed::Applied && self.search.regex.is_some() {
                let lines = self.lines();
                match lines.iter().position(|l| self.search.is_match(l)) {
                    Some(i) => {
                        self.scroll = i;
                        let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
                        self.search.mark(&texts, i);
                    }
                    None => self.search.note = Some(("no match".into(), true)),
                }
            }
            return Outcome::stay();
        }
        match cx.keymap.get(key) {
            Some(InspectAction::Close) => return Outcome::close(),
            Some(InspectAction::NextTab) => {
                let tabs = self.tabs();
                let at = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
                self.tab = tabs[(at + 1) % tabs.len()];
                self.scroll = 0;
            }
            Some(InspectAction::Copy) => {
                return match self.lines().get(self.scroll) {
                    Some(line) => super::effects::copy(cx.activity, "the line", line.trim()),
                    None => {
                        cx.activity.refuse("no line to copy");
                        Outcome::stay()
                    }
                };
            }
            Some(InspectAction::Search) => self.search.start(),
            Some(InspectAction::NextMatch) => self.jump(false),
            Some(InspectAction::PrevMatch) => self.jump(true),
            None => {
                if let Some(nav) = cx.keymap.nav(key) {
                    self.scroll = nav.apply(self.scroll, self.lines().len(), cx.page);
                }
            }
        }
        Outcome::stay()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_line_up_like_ps() {
        let titles = vec!["PID".to_string(), "CMD".to_string()];
        let rows = vec![
            vec!["1".to_string(), "sleep 60".to_string()],
            vec!["12345".to_string(), "sh".to_string()],
        ];
        assert_eq!(
            table(&titles, &rows),
            ["PID    CMD", "1      sleep 60", "12345  sh"]
        );
    }
}
