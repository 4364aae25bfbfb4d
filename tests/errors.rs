//! The core's errors as types: each kind's text (the one the data page, the load notice
//! and the rejected-rows CSV show), real loads that end in each kind, the kinds' JSON
//! round trip (the worker sends a file report to the page as JSON), and
//! `std::error::Error` on every error type.

use kpi_dash::data::error::{
    DateProblem, JsonError, LoadError, LoadErrorKind, Position, RecordProblem, RejectKind,
    ValueError, XlsxError,
};
use kpi_dash::data::ingest::{
    load, sniff, DuplicatePolicy, FileReport, LoadOptions, Sniffed, StreamingLoad,
};
use kpi_dash::data::packed::{unpack, Packed, UnpackError};
use kpi_dash::data::store::Workspace;
use kpi_dash::data::values::{parse_bool, parse_date, parse_number};
use kpi_dash::data::{json, xlsx};

/// Loads `csv` into `ws`, checking that every row read is used or rejected.
fn load_csv(ws: &mut Workspace, name: &str, csv: &str, options: &LoadOptions) -> FileReport {
    let report = load(ws, name, csv.as_bytes(), options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report.rows_read,
        report.rows_used + report.rows_rejected,
        "{name}: rows read = used + rejected"
    );
    report
}

fn refused(name: &str, bytes: &[u8]) -> LoadError {
    load(
        &mut Workspace::default(),
        name,
        bytes,
        &LoadOptions::default(),
    )
    .expect_err("the file is refused")
}

#[test]
fn each_load_error_kind_has_its_text() {
    let texts = [
        (LoadErrorKind::Empty, "the file is empty".to_owned()),
        (
            LoadErrorKind::NotATable {
                what: "a PNG image".into(),
            },
            "this is a PNG image, not a table: export CSV, JSON or XLSX".into(),
        ),
        (
            LoadErrorKind::OpenDocumentSpreadsheet,
            "this is an OpenDocument spreadsheet (.ods), not a table we read: save it as XLSX or CSV".into(),
        ),
        (
            LoadErrorKind::ZipNotXlsx,
            "this is a zip archive that is not an XLSX workbook: unzip it and load the CSV inside".into(),
        ),
        (
            LoadErrorKind::TooManyColumns { columns: 2001 },
            "the header has 2001 columns; a table may have at most 2000: is this a table?".into(),
        ),
        (
            LoadErrorKind::Xlsx(XlsxError::NoWorksheet),
            "the workbook has no worksheet".into(),
        ),
        (
            LoadErrorKind::Json(JsonError::NotRows),
            "the JSON is neither an array of rows nor an object".into(),
        ),
        (LoadErrorKind::NoJsonRows, "the JSON holds no rows".into()),
        (
            LoadErrorKind::NoPlatformColumn,
            "the file has no platform column: choose the platform of its rows".into(),
        ),
        (
            LoadErrorKind::UnmappedRequired {
                column: "campaign_id".into(),
                table: "campaigns".into(),
            },
            "no column maps to `campaign_id`, which a campaigns table needs".into(),
        ),
        (LoadErrorKind::NoTable, "the file holds no table".into()),
        (
            LoadErrorKind::HeaderOnly,
            "the file has a header but no rows".into(),
        ),
        (
            LoadErrorKind::AllRejected {
                rows: 2,
                first: Some((3, RejectKind::MissingPlatform)),
            },
            "no usable rows: all 2 rows were rejected (first, line 3: missing platform)".into(),
        ),
        (
            LoadErrorKind::AllRejected {
                rows: 2,
                first: None,
            },
            "no usable rows: all 2 rows were rejected".into(),
        ),
    ];
    for (kind, text) in texts {
        assert_eq!(kind.to_string(), text, "{kind:?}");
        let error = LoadError::new("posts.csv", kind);
        assert_eq!(error.message(), text);
        assert_eq!(error.to_string(), format!("posts.csv: {text}"));
    }
}

#[test]
fn each_reject_kind_has_its_text_and_says_whether_it_rejects_the_row() {
    let texts = [
        (
            RejectKind::FieldCount {
                fields: 2,
                header: 3,
            },
            "the row has 2 fields, the header has 3",
            true,
        ),
        (RejectKind::EmptyRow, "empty row", true),
        (RejectKind::TotalRow, "YouTube total row", true),
        (
            RejectKind::UnreadableDate(DateProblem::NoSuchDate),
            "unreadable date (no such date)",
            true,
        ),
        (RejectKind::OrderWithoutName, "order without a Name", true),
        (RejectKind::MissingPlatform, "missing platform", true),
        (
            RejectKind::MissingRequired {
                column: "creator_id".into(),
            },
            "missing creator_id",
            true,
        ),
        (RejectKind::NoUsableValue, "no usable value in the row", true),
        (RejectKind::NotStorable, "the row could not be stored", true),
        (
            RejectKind::BadRecord {
                table: None,
                problem: RecordProblem::NotAnObject,
            },
            "not a JSON object",
            true,
        ),
        (
            RejectKind::BadRecord {
                table: Some("posts".into()),
                problem: RecordProblem::TooManyKeys { keys: 2500 },
            },
            "posts: the record has 2500 keys; a row may have at most 2000 columns",
            true,
        ),
        (
            RejectKind::DuplicateReplaced { by_line: 7 },
            "duplicate post_id: replaced by line 7",
            true,
        ),
        (
            RejectKind::ValueDropped(ValueError::NotANumber),
            "not a number: value dropped",
            false,
        ),
        (
            RejectKind::DuplicateSummed { first_line: 2 },
            "duplicate post_id (first on line 2): numbers added to it",
            false,
        ),
        (
            RejectKind::ReplacedInWorkspace,
            "post_id already in the workspace: replaced the earlier row",
            false,
        ),
        (
            RejectKind::AddedInWorkspace,
            "post_id already in the workspace: numbers added to it",
            false,
        ),
        (
            RejectKind::DuplicateMerged {
                column: "campaign_id".into(),
                first_line: 2,
            },
            "duplicate campaign_id (first on line 2): fields merged",
            false,
        ),
        (
            RejectKind::CurrencyLeftOut {
                code: "USD".into(),
                base: "EUR".into(),
            },
            "amounts in USD, the workspace's money is in EUR: left out (give a rate for USD to include them)",
            false,
        ),
    ];
    for (kind, text, rejects_row) in texts {
        assert_eq!(kind.to_string(), text, "{kind:?}");
        assert_eq!(kind.rejects_row(), rejects_row, "{kind:?}");
    }
}

#[test]
fn each_value_and_date_problem_has_its_text() {
    let values = [
        (ValueError::NotANumber, "not a number"),
        (ValueError::NotYesNo, "not a yes/no value"),
        (
            ValueError::NotASentiment,
            "not a sentiment (positive/neutral/negative)",
        ),
        (
            ValueError::NotAnObjective,
            "not an objective (awareness/leads/sales)",
        ),
        (ValueError::Date(DateProblem::NotADate), "not a date"),
    ];
    for (error, text) in values {
        assert_eq!(error.to_string(), text, "{error:?}");
    }
    let dates = [
        (DateProblem::NotADate, "not a date"),
        (DateProblem::TimeWithoutDate, "a time without a date"),
        (DateProblem::NoSuchDate, "no such date"),
        (DateProblem::NumberNotADate, "a number that is no date"),
        (DateProblem::UnreadableTime, "unreadable time"),
        (DateProblem::WithoutYear, "a date without a year"),
        (
            DateProblem::OutOfRange,
            "a date outside 1900-01-01 to 2200-12-31",
        ),
    ];
    for (problem, text) in dates {
        assert_eq!(problem.to_string(), text, "{problem:?}");
    }
    // The parsers give these kinds.
    use kpi_dash::data::ingest::{DateOrder, NumberLocale};
    assert_eq!(
        parse_number("12 apples", NumberLocale::DotDecimal),
        Err(ValueError::NotANumber)
    );
    assert_eq!(parse_bool("perhaps"), Err(ValueError::NotYesNo));
    assert_eq!(
        parse_date("July 16", DateOrder::MonthFirst),
        Err(ValueError::Date(DateProblem::WithoutYear))
    );
    assert_eq!(
        parse_date("12:15", DateOrder::MonthFirst),
        Err(ValueError::Date(DateProblem::TimeWithoutDate))
    );
    assert_eq!(
        parse_date("1899-12-31", DateOrder::MonthFirst),
        Err(ValueError::Date(DateProblem::OutOfRange))
    );
}

#[test]
fn json_xlsx_and_unpack_errors_have_their_texts() {
    let json = [
        (
            JsonError::NotRows,
            "the JSON is neither an array of rows nor an object",
        ),
        (
            JsonError::TooManyKeys {
                table: None,
                record: 2000,
                key: "k1999".into(),
            },
            "the records have more than 2000 distinct keys (record 2000 adds `k1999`); a table may have at most 2000 columns",
        ),
        (
            JsonError::TooManyKeys {
                table: Some("creators".into()),
                record: 3,
                key: "x".into(),
            },
            "creators: the records have more than 2000 distinct keys (record 3 adds `x`); a table may have at most 2000 columns",
        ),
    ];
    for (error, text) in json {
        assert_eq!(error.to_string(), text, "{error:?}");
    }
    let records = [
        (RecordProblem::NotAnObject, "not a JSON object"),
        (
            RecordProblem::InvalidLine {
                message: "EOF while parsing".into(),
            },
            "invalid JSON line: EOF while parsing",
        ),
    ];
    for (problem, text) in records {
        assert_eq!(problem.to_string(), text, "{problem:?}");
    }
    let workbooks = [
        (
            XlsxError::BrokenZip,
            "not a readable XLSX file (broken zip)",
        ),
        (XlsxError::NoWorksheet, "the workbook has no worksheet"),
        (
            XlsxError::UnreadableWorksheet,
            "the worksheet could not be read",
        ),
        (
            XlsxError::TooBig { limit_mb: 512 },
            "the workbook unpacks to more than 512 MB: save the sheet as CSV",
        ),
    ];
    for (error, text) in workbooks {
        assert_eq!(error.to_string(), text, "{error:?}");
    }
    assert_eq!(xlsx::first_sheet_csv(b""), Err(XlsxError::BrokenZip));
    let unpack_texts = [
        (
            UnpackError::MissingColumn("post id"),
            "missing post id column",
        ),
        (
            UnpackError::BadKeyIndex("day span"),
            "bad key index (day span)",
        ),
        (
            UnpackError::RepeatedDictionaryValue,
            "bad dictionary (a value given twice)",
        ),
        (
            UnpackError::UnexpectedColumn,
            "unexpected column after the last one",
        ),
    ];
    for (error, text) in unpack_texts {
        assert_eq!(error.to_string(), text, "{error:?}");
    }
    let Err(UnpackError::Header(_)) = unpack(Packed::default()) else {
        panic!("an empty packed workspace has no header");
    };
}

#[test]
fn real_loads_end_in_their_kinds() {
    let png = refused("logo.png", b"\x89PNG\r\n\x1a\n rest of the image");
    assert_eq!(
        png.kind,
        LoadErrorKind::NotATable {
            what: "a PNG image".into()
        }
    );
    assert_eq!(
        png.to_string(),
        "logo.png: this is a PNG image, not a table: export CSV, JSON or XLSX"
    );
    assert_eq!(refused("blank.csv", b"  \n\n").kind, LoadErrorKind::Empty);
    assert_eq!(
        refused("header.csv", b"platform,likes\n").kind,
        LoadErrorKind::HeaderOnly
    );
    assert_eq!(
        refused("scalar.json", b"[1, 2").kind,
        LoadErrorKind::Json(JsonError::Invalid {
            message: "EOF while parsing a list at line 1 column 5".into(),
            line: 1,
            column: 5,
        })
    );
    let all_bad = refused("all_bad.csv", b"likes,date\n5,2025-01-02\n6,2025-01-03\n");
    assert_eq!(all_bad.kind, LoadErrorKind::NoPlatformColumn);
    let no_platform = load(
        &mut Workspace::default(),
        "no_platform.csv",
        b"platform,likes\n,5\n,6\n",
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        no_platform.kind,
        LoadErrorKind::AllRejected {
            rows: 2,
            first: Some((2, RejectKind::MissingPlatform)),
        }
    );
    assert_eq!(
        no_platform.message(),
        "no usable rows: all 2 rows were rejected (first, line 2: missing platform)"
    );
    // The sniffer and a streamed load say the same kind as the load.
    assert_eq!(
        sniff(b"%PDF-1.7"),
        Some(Sniffed::Refused(LoadErrorKind::NotATable {
            what: "a PDF document".into()
        }))
    );
    let mut streaming = StreamingLoad::new("doc.pdf", LoadOptions::default());
    streaming.feed(&[b"%PDF-1.7".as_slice(), &[b' '; 2000]].concat());
    assert_eq!(
        streaming.refusal(),
        Some(&LoadErrorKind::NotATable {
            what: "a PDF document".into()
        })
    );
}

#[test]
fn a_load_error_has_its_position_where_it_has_one() {
    let err = refused("broken.json", b"{\"a\": 1,\n  \"b\": }");
    let Some(Position { line, column }) = err.position() else {
        panic!("invalid JSON has a position: {err:?}");
    };
    assert_eq!((line, column), (2, Some(8)), "{err}");
    assert!(err.message().starts_with("invalid JSON: "), "{err}");
    let rejected = load(
        &mut Workspace::default(),
        "no_platform.csv",
        b"platform,likes\n,5\n",
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        rejected.position(),
        Some(Position {
            line: 2,
            column: None
        })
    );
    assert_eq!(refused("blank.csv", b"").position(), None);
}

#[test]
fn rows_of_a_file_carry_their_kinds() {
    let csv = "platform,post_id,date,likes\n\
               tiktok,a,2025-01-02,10\n\
               tiktok,b,2025-13-45,11\n\
               tiktok,c,2025-01-03,many\n\
               tiktok,d,2025-01-04\n\
               ,,,\n\
               tiktok,a,2025-01-05,12\n";
    let mut ws = Workspace::default();
    let report = load_csv(&mut ws, "posts.csv", csv, &LoadOptions::default());
    // 6 rows read: a (line 2, replaced by line 7), b (bad date), d (3 fields) and the
    // empty line 6 are rejected; c (its likes dropped) and a (line 7) are used.
    assert_eq!(
        (report.rows_read, report.rows_used, report.rows_rejected),
        (6, 2, 4)
    );
    let kinds: Vec<(usize, &RejectKind)> =
        report.issues.iter().map(|i| (i.line, &i.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (3, &RejectKind::UnreadableDate(DateProblem::NoSuchDate)),
            (4, &RejectKind::ValueDropped(ValueError::NotANumber)),
            (
                5,
                &RejectKind::FieldCount {
                    fields: 3,
                    header: 4
                }
            ),
            (6, &RejectKind::EmptyRow),
            (2, &RejectKind::DuplicateReplaced { by_line: 7 }),
        ]
    );
    for issue in &report.issues {
        assert_eq!(issue.reason(), issue.kind.to_string());
        assert_eq!(issue.row_rejected, issue.kind.rejects_row(), "{issue:?}");
    }
    assert_eq!(report.issues[1].reason(), "not a number: value dropped");
    // Loaded again under sum, on top of the same posts: already in the workspace.
    let sum = LoadOptions {
        duplicates: DuplicatePolicy::Sum,
        ..LoadOptions::default()
    };
    let again = load_csv(
        &mut ws,
        "again.csv",
        "platform,post_id,likes\ntiktok,c,1\n",
        &sum,
    );
    assert_eq!(again.issues[0].kind, RejectKind::AddedInWorkspace);
}

#[test]
fn a_rejected_rows_kind_survives_the_json_round_trip() {
    let csv = "platform,post_id,likes\ntiktok,a,1\n,b,2\ntiktok,c,lots\n";
    let report = load_csv(
        &mut Workspace::default(),
        "posts.csv",
        csv,
        &LoadOptions::default(),
    );
    let json = serde_json::to_string(&report).unwrap();
    let back: FileReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert_eq!(back.issues[0].kind, RejectKind::MissingPlatform);
    assert_eq!(
        back.issues[1].kind,
        RejectKind::ValueDropped(ValueError::NotANumber)
    );
    // The JSON keeps the reason text beside the kind (for any reader of the report).
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let issue = &value["issues"][1];
    assert_eq!(issue["reason"], "not a number: value dropped");
    assert_eq!(
        issue["kind"],
        serde_json::json!({"value_dropped": "not_a_number"})
    );
    // A load error round-trips too.
    let err = refused("blank.csv", b"");
    let back: LoadError = serde_json::from_str(&serde_json::to_string(&err).unwrap()).unwrap();
    assert_eq!(back, err);
}

#[test]
fn every_error_is_a_std_error() {
    fn boxed<E: std::error::Error + Send + Sync + 'static>(e: E) -> Box<dyn std::error::Error> {
        Box::new(e)
    }
    let errors: Vec<Box<dyn std::error::Error>> = vec![
        boxed(LoadError::new("a.csv", LoadErrorKind::Empty)),
        boxed(LoadErrorKind::NoTable),
        boxed(RejectKind::EmptyRow),
        boxed(ValueError::NotANumber),
        boxed(DateProblem::NoSuchDate),
        boxed(RecordProblem::NotAnObject),
        boxed(JsonError::NotRows),
        boxed(XlsxError::BrokenZip),
        boxed(UnpackError::BadCurrency),
    ];
    assert!(errors.iter().all(|e| !e.to_string().is_empty()));
    // A workbook's or a JSON text's error is the source of the load error.
    let err = LoadError::new("book.xlsx", XlsxError::NoWorksheet);
    let source = std::error::Error::source(&err).expect("a source");
    assert_eq!(source.to_string(), "the workbook has no worksheet");
    assert_eq!(err.to_string(), "book.xlsx: the workbook has no worksheet");
    let doc = json::parse("7").unwrap_err();
    assert_eq!(doc, JsonError::NotRows);
}
