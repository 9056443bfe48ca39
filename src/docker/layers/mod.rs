//! An image's layers: what each adds, changes and wastes (`read` streams the headers,
//! `analysis` stacks them). A local image is read from the Engine API's export
//! (`/images/{name}/get`), the same bytes on the classic and the containerd image stores.

pub mod analysis;
pub mod read;

use bollard::Docker;

use read::{ReadError, SavedImage};

/// Why an image's layers could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LayersError {
    #[error("{0}")]
    Daemon(#[from] crate::docker::actions::OpError),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("the reading task stopped: {0}")]
    Task(String),
}

/// Reads a local image's layers through its export, headers only; `on_layer` hears each
/// layer as it is read.
pub async fn export(
    docker: &Docker,
    image: &str,
    on_layer: impl FnMut(&str, usize) + Send + 'static,
) -> Result<SavedImage, LayersError> {
    // The daemon's own words for a name it does not know, before any bytes flow.
    docker
        .inspect_image(image)
        .await
        .map_err(|e| LayersError::Daemon(e.into()))?;
    let reader = crate::docker::files::bridge(docker.export_image(image));
    tokio::task::spawn_blocking(move || read::read_export(reader, on_layer))
        .await
        .map_err(|e| LayersError::Task(e.to_string()))?
        .map_err(LayersError::from)
}
