//! Pure presentation helpers shared by the UI and its native tests: number formatting
//! by KPI unit, and the dashboard's URL query (filters, compare mode, granularity).

pub mod format;
pub mod query;
