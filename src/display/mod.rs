//! Pure presentation helpers shared by the UI and its native tests: number formatting
//! by KPI unit, the dashboard's URL query (filters, compare mode, granularity), file
//! exports, alert sentences, snapshot links, cadence reports, and the questions views ask of the data.

pub mod alerts;
pub mod audience;
pub mod drivers;
pub mod explain;
pub mod export;
pub mod format;
pub mod live;
pub mod loads;
pub mod patterns;
pub mod plan;
pub mod query;
pub mod questions;
pub mod report;
pub mod share;
pub mod sparkline;
pub mod status;
