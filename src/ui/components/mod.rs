//! Reusable view pieces: the one KPI value renderer, KPI cards, tables, filters,
//! charts, alerts and upload.

pub mod alerts;
pub mod audience;
pub mod chart;
pub mod explain;
pub mod export;
pub mod filters;
pub mod heatmap;
pub mod kpi;
pub mod live;
pub mod progress;
pub mod remember;
pub mod share;
pub mod table;
pub mod upload;
