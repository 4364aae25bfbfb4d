//! A streaming, byte-level CSV reader: RFC 4180 quoting (escaped quotes, embedded
//! newlines), CRLF/LF/CR line ends, a UTF-8 BOM, the delimiter (`,` `;` or tab) sniffed
//! from the header line, and UTF-8 with a fallback to Windows-1252 (a superset of
//! Latin-1). Text that starts with a UTF-16 BOM (`FF FE`, Excel's "Unicode text",
//! tab-separated; or big-endian `FE FF`), or that the caller knows is UTF-16
//! ([`CsvReader::utf16`]), is transcoded to UTF-8 as it arrives. Fields that are UTF-8
//! text wrongly decoded once (`CÃ´te` → `Côte`) are repaired.
//!
//! The header line is found and its delimiter sniffed with the parser's own quote rules
//! (a quote opens a quoted field only at a field's start, so `Size 6.1"` is plain
//! text), by one state machine per candidate delimiter that looks at each byte once,
//! however the input is chunked.
//!
//! Input arrives in chunks through [`CsvReader::feed`]; each record is handed to a
//! callback with the 1-based line where it starts. Fields live in one reused buffer, so
//! the hot path allocates nothing per field or row.

/// The text encoding a reader settled on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-16, little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252 (Latin-1 plus typographic characters in 0x80–0x9F).
    Windows1252,
}

impl Encoding {
    /// The WHATWG label.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// One record: its fields as text.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    text: &'a str,
    /// Each field's byte range in `text` (the record's own bytes when it lay whole in
    /// one chunk and needed no unescaping, else the reader's copy of its fields).
    spans: &'a [(usize, usize)],
}

impl<'a> Record<'a> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when the record has no field.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i` (empty past the end).
    #[inline]
    pub fn get(&self, i: usize) -> &'a str {
        let Some(&(start, end)) = self.spans.get(i) else {
            return "";
        };
        self.text.get(start..end).unwrap_or("")
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: an escaped quote or the closing one.
    QuoteInQuoted,
}

/// A chunk as [`CsvReader::record_in_place`] reads it.
struct Scan<'c> {
    chunk: &'c [u8],
    /// The chunk's longest valid UTF-8 prefix.
    text: &'c str,
    /// True when the whole chunk is ASCII.
    ascii: bool,
    /// The bytes that end an unquoted field: the delimiter, `\n` and `\r`.
    stops: &'c [bool; 256],
    delim: u8,
}

/// The streaming reader. Feed chunks, then call [`CsvReader::finish`].
#[derive(Debug)]
pub struct CsvReader {
    delimiter: Option<u8>,
    pending: Vec<u8>,
    at_file_start: bool,
    state: State,
    raw: Vec<u8>,
    /// The fields of the record being copied into `raw`: their ranges there.
    raw_spans: Vec<(usize, usize)>,
    /// The fields of a record read in place (see [`CsvReader::record_in_place`]).
    spans: Vec<(usize, usize)>,
    decoded: String,
    decoded_spans: Vec<(usize, usize)>,
    record_has_content: bool,
    line: usize,
    record_line: usize,
    after_cr: bool,
    encoding: Encoding,
    repaired_fields: usize,
    unclosed_quote_line: Option<usize>,
    utf16: Utf16,
    header: HeaderSniffer,
}

/// Whether the input is UTF-16LE, known from its first two bytes.
#[derive(Debug)]
enum Utf16 {
    /// Fewer than two bytes seen (held here).
    Unknown(Vec<u8>),
    No,
    /// UTF-16 (big-endian when the flag is set): a byte or a high surrogate left over
    /// from the last chunk.
    Yes(Vec<u8>, bool),
}

/// Bytes of header line the sniffer looks at before it settles on a delimiter anyway
/// (a quoted header field left open would otherwise hold back the whole file).
pub const HEADER_LOOKAHEAD: usize = 1 << 20;

/// One candidate delimiter's view of the header line, by the parser's quote rules.
#[derive(Clone, Copy, Debug)]
struct HeaderScan {
    delim: u8,
    state: State,
    has_content: bool,
    /// Delimiters seen outside quotes.
    count: usize,
    /// True once the header line ended (for this delimiter).
    done: bool,
}

impl HeaderScan {
    fn new(delim: u8) -> HeaderScan {
        HeaderScan {
            delim,
            state: State::FieldStart,
            has_content: false,
            count: 0,
            done: false,
        }
    }

    /// One byte, as [`CsvReader::consume`] would read it with this delimiter.
    #[inline]
    fn step(&mut self, b: u8) {
        if self.done {
            return;
        }
        let newline = b == b'\n' || b == b'\r';
        match self.state {
            State::FieldStart | State::Unquoted => {
                if self.state == State::FieldStart && b == b'"' {
                    self.state = State::Quoted;
                    self.has_content = true;
                } else if b == self.delim {
                    self.count += 1;
                    self.state = State::FieldStart;
                    self.has_content = true;
                } else if newline {
                    // A blank line before the header is skipped, as the parser does.
                    self.done = self.has_content;
                    self.state = State::FieldStart;
                } else {
                    self.state = State::Unquoted;
                    self.has_content = true;
                }
            }
            State::Quoted => {
                if b == b'"' {
                    self.state = State::QuoteInQuoted;
                }
            }
            State::QuoteInQuoted => {
                if b == b'"' {
                    self.state = State::Quoted;
                } else if b == self.delim {
                    self.count += 1;
                    self.state = State::FieldStart;
                } else if newline {
                    self.done = true;
                } else {
                    self.state = State::Unquoted;
                }
            }
        }
    }
}

/// Finds the end of the header line and its delimiter (`,` `;` or tab: the most
/// frequent outside quotes, a comma on a tie) in one pass over the bytes, whatever the
/// chunking: every byte is looked at once.
#[derive(Debug)]
struct HeaderSniffer {
    scans: [HeaderScan; 3],
    /// Bytes of the pending buffer already looked at.
    seen: usize,
    /// Bytes looked at in all (what [`CsvReader::header_bytes_scanned`] reports).
    scanned: usize,
}

impl HeaderSniffer {
    fn new() -> HeaderSniffer {
        HeaderSniffer {
            scans: [b',', b';', b'\t'].map(HeaderScan::new),
            seen: 0,
            scanned: 0,
        }
    }

    /// Looks at the bytes of `pending` not seen yet; true once the header line ended
    /// for every candidate, or the lookahead is used up.
    fn advance(&mut self, pending: &[u8]) -> bool {
        if self.seen == 0 {
            if pending.len() < 3 && b"\xEF\xBB\xBF".starts_with(pending) {
                return false;
            }
            if pending.starts_with(b"\xEF\xBB\xBF") {
                self.seen = 3;
            }
        }
        for &b in pending.get(self.seen..).unwrap_or_default() {
            for scan in &mut self.scans {
                scan.step(b);
            }
            self.seen += 1;
            self.scanned += 1;
            if self.complete() {
                return true;
            }
        }
        self.complete()
    }

    fn complete(&self) -> bool {
        self.scans.iter().all(|s| s.done) || self.seen >= HEADER_LOOKAHEAD
    }

    fn delimiter(&self) -> u8 {
        let best = (0..3)
            .max_by_key(|&i| (self.scans[i].count, 3 - i))
            .unwrap_or(0);
        self.scans[best].delim
    }
}

impl Default for CsvReader {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvReader {
    /// A reader that sniffs its delimiter from the first line.
    pub fn new() -> Self {
        CsvReader {
            delimiter: None,
            pending: Vec::new(),
            at_file_start: true,
            state: State::FieldStart,
            raw: Vec::with_capacity(1024),
            raw_spans: Vec::with_capacity(32),
            spans: Vec::with_capacity(32),
            decoded: String::new(),
            decoded_spans: Vec::new(),
            record_has_content: false,
            line: 1,
            record_line: 1,
            after_cr: false,
            encoding: Encoding::Utf8,
            repaired_fields: 0,
            unclosed_quote_line: None,
            utf16: Utf16::Unknown(Vec::new()),
            header: HeaderSniffer::new(),
        }
    }

    /// A reader of UTF-16 text without a BOM (big-endian when `big_endian`), which the
    /// caller recognised by its NUL bytes.
    pub fn utf16(big_endian: bool) -> Self {
        CsvReader {
            utf16: Utf16::Yes(Vec::new(), big_endian),
            ..CsvReader::new()
        }
    }

    /// Bytes the header sniffer has looked at: each byte of the header line once,
    /// however the input was chunked (tests bound the work with it).
    pub fn header_bytes_scanned(&self) -> usize {
        self.header.scanned
    }

    /// The chunk as UTF-8 bytes: as it is, unless the input is UTF-16LE.
    fn transcode<'c>(&mut self, chunk: &'c [u8], last: bool) -> std::borrow::Cow<'c, [u8]> {
        use std::borrow::Cow;
        let mut input: Cow<'c, [u8]> = Cow::Borrowed(chunk);
        if let Utf16::Unknown(head) = &mut self.utf16 {
            head.extend_from_slice(chunk);
            if head.len() < 2 && !last {
                return Cow::Borrowed(&[]);
            }
            let head = std::mem::take(head);
            if head.starts_with(b"\xFF\xFE") {
                self.utf16 = Utf16::Yes(Vec::new(), false);
            } else if head.starts_with(b"\xFE\xFF") {
                self.utf16 = Utf16::Yes(Vec::new(), true);
            } else {
                self.utf16 = Utf16::No;
            }
            input = Cow::Owned(head);
        }
        let Utf16::Yes(carry, big_endian) = &mut self.utf16 else {
            return input;
        };
        let big_endian = *big_endian;
        carry.extend_from_slice(&input);
        let mut units: Vec<u16> = carry
            .chunks_exact(2)
            .map(|p| match big_endian {
                true => u16::from_be_bytes([p[0], p[1]]),
                false => u16::from_le_bytes([p[0], p[1]]),
            })
            .collect();
        let odd = carry.len() % 2 == 1;
        let mut keep: Vec<u8> = if odd {
            vec![carry[carry.len() - 1]]
        } else {
            Vec::new()
        };
        // A high surrogate at the end waits for its pair in the next chunk.
        if !last && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
            let high = units.pop().unwrap_or_default();
            let high = match big_endian {
                true => high.to_be_bytes(),
                false => high.to_le_bytes(),
            };
            keep.splice(0..0, high);
        }
        if last && odd {
            units.push(0xFFFD);
            keep.clear();
        }
        *carry = keep;
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect();
        Cow::Owned(text.into_bytes())
    }

    /// The delimiter, once sniffed.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The encoding the reader decoded with (it switches to Windows-1252 at the first
    /// field that is not UTF-8).
    pub fn encoding(&self) -> Encoding {
        match self.utf16 {
            Utf16::Yes(_, false) => return Encoding::Utf16Le,
            Utf16::Yes(_, true) => return Encoding::Utf16Be,
            _ => {}
        }
        self.encoding
    }

    /// Number of fields whose double-encoded UTF-8 was repaired.
    pub fn repaired_fields(&self) -> usize {
        self.repaired_fields
    }

    /// The line of a quoted field still open at the end of the input, if any.
    pub fn unclosed_quote_line(&self) -> Option<usize> {
        self.unclosed_quote_line
    }

    /// True between records in the state a new reader reading on from here would have
    /// (delimiter known, UTF-8, nothing pending): where [`super::split`] may cut a file.
    pub fn at_record_boundary(&self) -> bool {
        self.delimiter.is_some()
            && self.pending.is_empty()
            && self.state == State::FieldStart
            && !self.record_has_content
            && self.raw.is_empty()
            && self.raw_spans.is_empty()
            && !self.after_cr
            && self.encoding == Encoding::Utf8
            && matches!(self.utf16, Utf16::No)
    }

    /// The line the next record starts on.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Moves the lines on by `lines` and adds `repaired_fields`: a reader of a later
    /// part of a file continuing the count of the parts before it ([`super::split`]).
    pub fn continue_after(&mut self, lines: usize, repaired_fields: usize) {
        self.line += lines;
        self.record_line += lines;
        self.unclosed_quote_line = self.unclosed_quote_line.map(|l| l + lines);
        self.repaired_fields += repaired_fields;
    }

    /// Reads a chunk; calls `on_record(line, record)` for every complete record.
    pub fn feed(&mut self, chunk: &[u8], on_record: &mut impl FnMut(usize, &Record<'_>)) {
        let chunk = self.transcode(chunk, false);
        self.feed_utf8(&chunk, on_record);
    }

    fn feed_utf8(&mut self, chunk: &[u8], on_record: &mut impl FnMut(usize, &Record<'_>)) {
        if self.delimiter.is_some() {
            self.consume(chunk, on_record);
            return;
        }
        self.pending.extend_from_slice(chunk);
        if self.header.advance(&self.pending) {
            self.start(on_record);
        }
    }

    /// Ends the input: emits the last record if it has no line end.
    pub fn finish(&mut self, on_record: &mut impl FnMut(usize, &Record<'_>)) {
        let rest = self.transcode(&[], true).into_owned();
        if !rest.is_empty() {
            self.feed_utf8(&rest, on_record);
        }
        if self.delimiter.is_none() {
            self.start(on_record);
        }
        if self.state == State::Quoted {
            self.unclosed_quote_line = Some(self.record_line);
        }
        if self.record_has_content {
            self.end_record(on_record);
        }
    }

    fn start(&mut self, on_record: &mut impl FnMut(usize, &Record<'_>)) {
        let mut pending = std::mem::take(&mut self.pending);
        let body = pending.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&pending);
        self.header.advance(&pending);
        self.delimiter = Some(self.header.delimiter());
        self.at_file_start = false;
        self.consume(body, on_record);
        pending.clear();
        self.pending = pending;
    }

    fn consume(&mut self, chunk: &[u8], on_record: &mut impl FnMut(usize, &Record<'_>)) {
        let delim = self.delimiter.unwrap_or(b',');
        // The chunk's longest valid UTF-8 prefix: records inside it are read in place.
        let text = match std::str::from_utf8(chunk) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&chunk[..e.valid_up_to()]).unwrap_or(""),
        };
        // The bytes that end an unquoted field, looked up once per byte.
        let mut stops = [false; 256];
        for b in [delim, b'\n', b'\r'] {
            stops[usize::from(b)] = true;
        }
        // An ASCII chunk needs no look at each record's bytes for non-ASCII ones.
        let ascii = text.len() == chunk.len() && chunk.is_ascii();
        let len = chunk.len();
        let mut i = 0;
        while i < len {
            if self.state == State::FieldStart && !self.record_has_content {
                if self.after_cr {
                    // The `\n` of a `\r\n` that ended the last line.
                    self.after_cr = false;
                    if chunk[i] == b'\n' {
                        i += 1;
                    }
                    continue;
                }
                let scan = Scan {
                    chunk,
                    text,
                    ascii,
                    stops: &stops,
                    delim,
                };
                if let Some(next) = self.record_in_place(&scan, i, on_record) {
                    i = next;
                    continue;
                }
            }
            i = self.consume_copying(chunk, i, delim, on_record);
        }
    }

    /// Reads the record that starts at `chunk[at]` without copying it, when it lies whole
    /// in the chunk, is text that needs no decoding or repair, and has no quoted field
    /// with an escaped quote, a line end or text after its closing quote. Returns where
    /// the next record starts; `None` (nothing read, nothing changed) leaves the record
    /// to [`CsvReader::consume_copying`], which reads every case.
    #[inline]
    fn record_in_place(
        &mut self,
        scan: &Scan<'_>,
        at: usize,
        on_record: &mut impl FnMut(usize, &Record<'_>),
    ) -> Option<usize> {
        let Scan {
            chunk,
            text,
            ascii,
            stops,
            delim,
        } = *scan;
        let len = chunk.len();
        let mut i = at;
        // A blank line is no record: the copying path skips it.
        if matches!(chunk[i], b'\n' | b'\r') {
            return None;
        }
        self.spans.clear();
        let line_end = loop {
            let (start, end);
            if chunk[i] == b'"' {
                start = i + 1;
                let mut j = start;
                while j < len {
                    let b = chunk[j];
                    if b == b'"' {
                        break;
                    }
                    if b == b'\n' || b == b'\r' {
                        return None;
                    }
                    j += 1;
                }
                // The closing quote and the byte after it must be in this chunk.
                if j + 1 >= len {
                    return None;
                }
                end = j;
                i = j + 1;
                let c = chunk[i];
                if c != delim && c != b'\n' && c != b'\r' {
                    return None;
                }
            } else {
                start = i;
                let mut j = i;
                while j < len && !stops[usize::from(chunk[j])] {
                    j += 1;
                }
                if j == len {
                    return None;
                }
                end = j;
                i = j;
            }
            self.spans.push((start - at, end - at));
            let c = chunk[i];
            i += 1;
            if c != delim {
                break i - 1;
            }
            if i == len {
                return None;
            }
        };
        let record = if line_end <= text.len() {
            text.get(at..line_end)?
        } else {
            std::str::from_utf8(&chunk[at..line_end]).ok()?
        };
        if !ascii && !record.is_ascii() {
            // Not ASCII: in place only as UTF-8 with nothing to repair (as `decode`).
            let bytes = record.as_bytes();
            if self.encoding != Encoding::Utf8 || bytes.contains(&0xC3) || bytes.contains(&0xC2) {
                return None;
            }
        }
        let mut next = i;
        if chunk[line_end] == b'\r' {
            if next == len {
                self.after_cr = true;
            } else if chunk[next] == b'\n' {
                next += 1;
            }
        }
        let line = self.record_line;
        self.line += 1;
        self.record_line = self.line;
        on_record(
            line,
            &Record {
                text: record,
                spans: &self.spans,
            },
        );
        Some(next)
    }

    /// Reads `chunk[i..]` state by state, copying the fields into `raw`, until a record
    /// ends, a blank line is passed (the reader is then at a record's start) or the
    /// chunk ends; returns where it stopped.
    fn consume_copying(
        &mut self,
        chunk: &[u8],
        mut i: usize,
        delim: u8,
        on_record: &mut impl FnMut(usize, &Record<'_>),
    ) -> usize {
        let len = chunk.len();
        while i < len {
            if self.after_cr && chunk[i] == b'\n' {
                self.after_cr = false;
                if self.state == State::Quoted {
                    self.raw.push(b'\n');
                }
                i += 1;
                continue;
            }
            self.after_cr = false;
            match self.state {
                State::FieldStart | State::Unquoted => {
                    if self.state == State::FieldStart && chunk[i] == b'"' {
                        self.state = State::Quoted;
                        self.record_has_content = true;
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i < len && !matches!(chunk[i], b'\n' | b'\r') && chunk[i] != delim {
                        i += 1;
                    }
                    if i > start {
                        self.raw.extend_from_slice(&chunk[start..i]);
                        self.state = State::Unquoted;
                        self.record_has_content = true;
                    }
                    if i == len {
                        break;
                    }
                    let c = chunk[i];
                    i += 1;
                    if c == delim {
                        self.end_field();
                        self.record_has_content = true;
                    } else {
                        self.new_line(c);
                        if self.record_has_content {
                            self.end_record(on_record);
                        } else {
                            self.record_line = self.line;
                        }
                        return i;
                    }
                }
                State::Quoted => {
                    let start = i;
                    while i < len && !matches!(chunk[i], b'"' | b'\n' | b'\r') {
                        i += 1;
                    }
                    self.raw.extend_from_slice(&chunk[start..i]);
                    if i == len {
                        break;
                    }
                    let c = chunk[i];
                    i += 1;
                    if c == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else {
                        self.new_line(c);
                        self.raw.push(c);
                    }
                }
                State::QuoteInQuoted => {
                    let c = chunk[i];
                    i += 1;
                    if c == b'"' {
                        self.raw.push(b'"');
                        self.state = State::Quoted;
                    } else if c == delim {
                        self.end_field();
                    } else if c == b'\n' || c == b'\r' {
                        self.new_line(c);
                        self.end_record(on_record);
                        return i;
                    } else {
                        // Lenient: text after a closing quote is kept.
                        self.raw.push(c);
                        self.state = State::Unquoted;
                    }
                }
            }
        }
        i
    }

    fn new_line(&mut self, c: u8) {
        self.line += 1;
        self.after_cr = c == b'\r';
    }

    fn end_field(&mut self) {
        let start = self.raw_spans.last().map_or(0, |&(_, end)| end);
        self.raw_spans.push((start, self.raw.len()));
        self.state = State::FieldStart;
    }

    fn end_record(&mut self, on_record: &mut impl FnMut(usize, &Record<'_>)) {
        self.end_field();
        let line = self.record_line;
        if let Some(record) = self.decode() {
            on_record(line, &record);
        }
        self.raw.clear();
        self.raw_spans.clear();
        self.record_has_content = false;
        self.record_line = self.line;
    }

    /// The current record as text, switching to Windows-1252 when it is not UTF-8.
    fn decode(&mut self) -> Option<Record<'_>> {
        if self.encoding == Encoding::Utf8 && self.raw.is_ascii() {
            // ASCII: valid UTF-8, every end is a boundary, nothing to repair.
            return Some(Record {
                text: std::str::from_utf8(&self.raw).unwrap_or(""),
                spans: &self.raw_spans,
            });
        }
        if self.encoding == Encoding::Utf8 {
            let valid = match std::str::from_utf8(&self.raw) {
                Ok(text) => self
                    .raw_spans
                    .iter()
                    .all(|&(_, e)| text.is_char_boundary(e)),
                Err(_) => false,
            };
            if valid {
                if self.raw.contains(&0xC3) || self.raw.contains(&0xC2) {
                    self.repair_mojibake();
                    return Some(Record {
                        text: &self.decoded,
                        spans: &self.decoded_spans,
                    });
                }
                return Some(Record {
                    text: std::str::from_utf8(&self.raw).unwrap_or(""),
                    spans: &self.raw_spans,
                });
            }
            self.encoding = Encoding::Windows1252;
        }
        self.decoded.clear();
        self.decoded_spans.clear();
        for &(start, end) in &self.raw_spans {
            let from = self.decoded.len();
            for &b in &self.raw[start..end] {
                self.decoded.push(windows1252_char(b));
            }
            self.decoded_spans.push((from, self.decoded.len()));
        }
        Some(Record {
            text: &self.decoded,
            spans: &self.decoded_spans,
        })
    }

    /// Copies the (valid UTF-8) record into `decoded`, repairing double-encoded fields.
    fn repair_mojibake(&mut self) {
        self.decoded.clear();
        self.decoded_spans.clear();
        for &(start, end) in &self.raw_spans {
            let from = self.decoded.len();
            let field = std::str::from_utf8(&self.raw[start..end]).unwrap_or("");
            match repair_field(field) {
                Some(fixed) => {
                    self.decoded.push_str(&fixed);
                    self.repaired_fields += 1;
                }
                None => self.decoded.push_str(field),
            }
            self.decoded_spans.push((from, self.decoded.len()));
        }
    }
}

const WINDOWS1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// The character of a Windows-1252 byte.
pub fn windows1252_char(b: u8) -> char {
    if (0x80..0xA0).contains(&b) {
        WINDOWS1252_HIGH[usize::from(b - 0x80)]
    } else {
        char::from(b)
    }
}

fn windows1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 0x80 || (0xA0..=0xFF).contains(&code) {
        return Some(code as u8);
    }
    WINDOWS1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

/// The field re-decoded when it is UTF-8 that was once read as Windows-1252
/// (`CÃ´te d'Ivoire` → `Côte d'Ivoire`); `None` when it is not.
pub fn repair_field(field: &str) -> Option<String> {
    if !field.chars().any(|c| ('\u{C2}'..='\u{F4}').contains(&c)) {
        return None;
    }
    let bytes: Option<Vec<u8>> = field.chars().map(windows1252_byte).collect();
    String::from_utf8(bytes?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_chunked(input: &[u8], chunk: usize) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        let mut reader = CsvReader::new();
        let mut push =
            |line: usize, r: &Record<'_>| out.push((line, r.iter().map(str::to_owned).collect()));
        for c in input.chunks(chunk.max(1)) {
            reader.feed(c, &mut push);
        }
        reader.finish(&mut push);
        out
    }

    #[test]
    fn quotes_newlines_and_chunking_agree() {
        let input = b"\xEF\xBB\xBFa,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n2,\"multi\r\nline\",4\n5,,";
        let expected = vec![
            (1, vec!["a".to_owned(), "b".into(), "c".into()]),
            (2, vec!["1".to_owned(), "x, \"y\"".into(), "3".into()]),
            (4, vec!["2".to_owned(), "multi\r\nline".into(), "4".into()]),
            (6, vec!["5".to_owned(), "".into(), "".into()]),
        ];
        for size in [1, 2, 3, 7, 1000] {
            assert_eq!(read_chunked(input, size), expected, "chunk size {size}");
        }
    }

    #[test]
    fn utf16le_unicode_text_in_any_chunking() {
        let text = "\u{feff}name\tnote\r\nJosé\t\"🎉 two\r\nlines\"\r\n";
        let mut input = vec![0xFF, 0xFE];
        input.extend(text.encode_utf16().skip(1).flat_map(u16::to_le_bytes));
        let expected = vec![
            (1, vec!["name".to_owned(), "note".into()]),
            (2, vec!["José".to_owned(), "🎉 two\r\nlines".into()]),
        ];
        // Chunks of 1 and 3 bytes split code units and the emoji's surrogate pair.
        for size in [1, 2, 3, 5, 1000] {
            assert_eq!(read_chunked(&input, size), expected, "chunk size {size}");
        }
        let mut reader = CsvReader::new();
        reader.feed(&input, &mut |_, _| {});
        assert_eq!(reader.encoding(), Encoding::Utf16Le);
    }

    #[test]
    fn sniffs_semicolon_and_tab() {
        let rows = read_chunked(b"a;b\n\"1,5\";2\n", 4);
        assert_eq!(rows[1].1, vec!["1,5", "2"]);
        let rows = read_chunked(b"a\tb\tc,d\n1\t2,3\t4\n", 4);
        assert_eq!(rows[1].1, vec!["1", "2,3", "4"]);
    }

    #[test]
    fn decodes_latin1_and_repairs_mojibake() {
        let rows = read_chunked(b"a,b\ncaf\xE9,\xA0x\n", 3);
        assert_eq!(rows[1].1, vec!["café", "\u{a0}x"]);
        let rows = read_chunked("c\nCÃ´te d'Ivoire\nCafé\n".as_bytes(), 5);
        assert_eq!(rows[1].1, vec!["Côte d'Ivoire"]);
        assert_eq!(rows[2].1, vec!["Café"]);
    }

    #[test]
    fn records_read_in_place_match_those_copied() {
        // Records of a whole input are read in place; one-byte chunks copy every one.
        // Quotes, escaped quotes, text after a closing quote, CR, CRLF, blank lines,
        // non-ASCII, mojibake and Windows-1252 bytes, at every position.
        let alphabet: [&[u8]; 12] = [
            b"a",
            b"12",
            b",",
            b"\"",
            b"\"\"",
            b"\r",
            b"\n",
            b"\r\n",
            "é".as_bytes(),
            "Ã´".as_bytes(),
            b"\xE9",
            b" ",
        ];
        let mut seed = 0x2545_f491_u64;
        for _ in 0..400 {
            let mut input = b"h1,h2,h3\n".to_vec();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.extend_from_slice(alphabet[(seed % 12) as usize]);
            }
            let read = |size: usize| {
                let mut reader = CsvReader::new();
                let mut out = Vec::new();
                let mut push = |line: usize, r: &Record<'_>| {
                    out.push((line, r.iter().map(str::to_owned).collect::<Vec<_>>()))
                };
                for c in input.chunks(size) {
                    reader.feed(c, &mut push);
                }
                reader.finish(&mut push);
                let end = (reader.encoding(), reader.repaired_fields());
                (out, end, reader.unclosed_quote_line())
            };
            let whole = read(input.len());
            for size in [1, 2, 5, 13] {
                assert_eq!(read(size), whole, "chunk size {size}: {input:?}");
            }
        }
    }
}
