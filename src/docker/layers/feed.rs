//! The layers view's reading: the layers named at once (a local image's from inspect and
//! its history, a remote one's from its config), each layer sent as it is read (so its row
//! fills in), then the whole image looked at together. Nothing but headers is kept.

use bollard::Docker;
use tokio::sync::mpsc::UnboundedSender;

use super::analysis::{self, Analysis};
use super::read::{LayerTar, SavedLayer};
use super::{Head, Heard, LayersError};
use crate::docker::{DockerEvent, OpError, StreamId};

/// Where an image's layers are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A local image (name or id): its export.
    Local(String),
    /// An image not pulled: its registry, this machine's platform (or the manifest a digest
    /// names).
    Remote(crate::reference::Reference),
}

/// What the layers view hears.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Heads(Vec<Head>),
    /// The layers at these indexes (one blob may stand for two equal layers) were read.
    Layer {
        at: Vec<usize>,
        tar: LayerTar,
    },
    /// Every layer, with its instruction as the image's config says it, and the analysis.
    Done {
        layers: Vec<SavedLayer>,
        analysis: Box<Analysis>,
    },
    Failed(OpError),
}

/// Reads `source`, sending what it hears as [`DockerEvent::Layers`] under `id`. Dropped (a
/// `StopStream`), the reading stops.
pub async fn read(
    docker: Docker,
    id: StreamId,
    source: Source,
    events: UnboundedSender<DockerEvent>,
) {
    let send = move |answer| {
        let _ = events.send(DockerEvent::Layers { id, answer });
    };
    let read = match source {
        Source::Local(image) => match local_heads(&docker, &image).await {
            Ok(heads) => {
                let ids: Vec<String> = heads.iter().map(|h| h.id.clone()).collect();
                send(Answer::Heads(heads));
                let send = send.clone();
                let hear = move |heard: Heard<'_>| {
                    if let Heard::Layer(layer) = heard {
                        place(&ids, layer, &send);
                    }
                };
                super::export(&docker, &image, true, hear).await
            }
            Err(e) => Err(e),
        },
        Source::Remote(reference) => {
            let send = send.clone();
            let mut ids = Vec::new();
            super::remote(&reference, move |heard: Heard<'_>| match heard {
                Heard::Heads(heads) => {
                    ids = heads.iter().map(|h| h.id.clone()).collect();
                    send(Answer::Heads(heads));
                }
                Heard::Layer(layer) => place(&ids, layer, &send),
            })
            .await
        }
    };
    let answer = match read {
        Ok(image) => {
            // The analysis is CPU work over every header: off the runtime's threads.
            let done = tokio::task::spawn_blocking(move || {
                let analysis = analysis::analyse(&image.layers);
                Answer::Done {
                    layers: image.layers,
                    analysis: Box::new(analysis),
                }
            })
            .await;
            done.unwrap_or_else(|e| Answer::Failed(failure(LayersError::Task(e.to_string()))))
        }
        Err(e) => Answer::Failed(failure(e)),
    };
    send(answer);
}

/// Sends a layer read to the rows its diff id names (`ids`: the heads', in order).
fn place(ids: &[String], layer: super::read::LayerRead<'_>, send: &impl Fn(Answer)) {
    let Some(diff_id) = layer.diff_id else { return };
    let at: Vec<usize> = (0..ids.len()).filter(|&i| ids[i] == diff_id).collect();
    if !at.is_empty() {
        send(Answer::Layer {
            at,
            tar: layer.tar.clone(),
        });
    }
}

/// A local image's layers, named before its export streams: the diff ids from inspect, the
/// instructions from its history (which does not say which steps made no layer: a step of
/// size 0 may be either, so with too many of them the instructions wait for the export's
/// config).
async fn local_heads(docker: &Docker, image: &str) -> Result<Vec<Head>, LayersError> {
    let daemon = |e: bollard::errors::Error| LayersError::Daemon(e.into());
    let inspect = docker.inspect_image(image).await.map_err(daemon)?;
    let ids = (inspect.root_fs.and_then(|r| r.layers)).unwrap_or_default();
    let history = docker.image_history(image).await.map_err(daemon)?;
    let history: Vec<(String, i64)> = (history.into_iter())
        .map(|h| (h.created_by, h.size))
        .collect();
    let steps = steps(ids.len(), &history);
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let (created_by, size) = steps.get(i).cloned().unwrap_or_default();
            Head {
                id,
                created_by,
                size,
            }
        })
        .collect())
}

/// Each layer's instruction and size from the daemon's history (newest first): its steps of
/// some size, when there are as many as layers; else none (a step of size 0 may or may not
/// have made a layer).
fn steps(layers: usize, history: &[(String, i64)]) -> Vec<(String, Option<u64>)> {
    let sized: Vec<&(String, i64)> = history.iter().rev().filter(|(_, s)| *s > 0).collect();
    if sized.len() != layers {
        return Vec::new();
    }
    (sized.into_iter())
        .map(|(step, size)| (step.clone(), u64::try_from(*size).ok()))
        .collect()
}

/// The error as the view shows it: the daemon's or the registry's words, and a hint.
fn failure(e: LayersError) -> OpError {
    let hint = match &e {
        LayersError::Daemon(op) => return op.clone(),
        LayersError::Read(_) => {
            "a layer or the export is not what it should be: `docker save` the image to look at it"
        }
        LayersError::Registry(_) => {
            "check the reference, and `docker login` to a registry that wants credentials"
        }
        LayersError::Task(_) => "close the view and open it again",
    };
    OpError {
        message: e.to_string(),
        hint: Some(hint),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_names_the_layers_only_when_it_can_tell_which_steps_made_them() {
        let step = |s: &str, size| (s.to_string(), size);
        // Newest first, as the daemon answers; ENV made no layer.
        let history = [step("RUN b", 20), step("ENV x=1", 0), step("ADD a", 10)];
        assert_eq!(
            steps(2, &history),
            [("ADD a".into(), Some(10)), ("RUN b".into(), Some(20))]
        );
        // Three layers, one of size 0 (a layer that only removes): which step is not told.
        assert!(steps(3, &history).is_empty());
    }
}
