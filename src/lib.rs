#[cfg(feature = "build")]
pub mod build;
