//! Text conversion of single floats exactly as pgvector gets it from C and Postgres:
//! [`parse_prefix`] accepts what C's `strtof` accepts (pgvector's parser) and
//! [`write_shortest`] prints what Postgres' `float_to_shortest_decimal_bufn` prints (Ryu's
//! shortest round-trip digits, fixed notation for decimal exponents -4..=5, else `1.5e+38`).
//!
//! Pure Rust with no Postgres in it, so it behaves identically on x86_64 and wasm32 and can
//! be tested with `rustc --test` on its own.

/// A float parsed from the start of a byte string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parsed {
    /// The value, rounded to nearest-even; ±inf on overflow; NaN for `nan` literals.
    pub value: f32,
    /// Bytes consumed (`stringEnd - pt` in C).
    pub len: usize,
    /// `errno == ERANGE && isinf(value)`: a finite literal too large for float4.
    pub overflow: bool,
}

/// Parse the longest prefix of `s` that C's `strtof` (C locale) would, or `None` when it
/// would consume nothing. The grammar: optional sign, then `inf`/`infinity`, `nan` or
/// `nan(chars)` (case-insensitive), a hex float `0x…[p±d]`, or a decimal `d[.d][e±d]`; an
/// exponent marker without digits is not consumed. Leading whitespace is the caller's job.
pub fn parse_prefix(s: &[u8]) -> Option<Parsed> {
    let mut i = 0;
    let negative = match s.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let signed = |v: f32| if negative { -v } else { v };
    let rest = &s[i..];

    if starts_with_ignore_case(rest, b"inf") {
        let len = if starts_with_ignore_case(rest, b"infinity") { 8 } else { 3 };
        return Some(Parsed { value: signed(f32::INFINITY), len: i + len, overflow: false });
    }
    if starts_with_ignore_case(rest, b"nan") {
        let mut len = 3;
        if rest.get(3) == Some(&b'(') {
            let chars = rest[4..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_');
            let close = 4 + chars.count();
            if rest.get(close) == Some(&b')') {
                len = close + 1;
            }
        }
        return Some(Parsed { value: f32::NAN, len: i + len, overflow: false });
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        if let Some((magnitude, len)) = parse_hex(&rest[2..]) {
            let value = signed(magnitude);
            return Some(Parsed { value, len: i + 2 + len, overflow: value.is_infinite() });
        }
        // "0x" without hex digits: strtof reads just the "0".
    }

    let len = decimal_len(rest)?;
    let text = core::str::from_utf8(&s[..i + len]).ok()?;
    // Rust's parser is correctly rounded like glibc's and musl's strtof, and it accepts every
    // form `decimal_len` admits, including "1." and ".5".
    let value: f32 = text.parse().ok()?;
    Some(Parsed { value, len: i + len, overflow: value.is_infinite() })
}

fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn count_digits(s: &[u8], radix_digit: impl Fn(u8) -> bool) -> usize {
    s.iter().take_while(|c| radix_digit(**c)).count()
}

/// Length of `d+[.d*]` / `.d+` followed by an optional complete exponent.
fn decimal_len(s: &[u8]) -> Option<usize> {
    let int_digits = count_digits(s, |c| c.is_ascii_digit());
    let mut len = int_digits;
    let mut frac_digits = 0;
    if s.get(len) == Some(&b'.') {
        frac_digits = count_digits(&s[len + 1..], |c| c.is_ascii_digit());
        len += 1 + frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    Some(len + exponent_len(&s[len..], b'e'))
}

/// Length of `<marker>[+-]d+`, or 0 if that is not complete.
fn exponent_len(s: &[u8], marker: u8) -> usize {
    if s.first().map(|c| c | 0x20) != Some(marker) {
        return 0;
    }
    let sign = matches!(s.get(1), Some(b'+' | b'-')) as usize;
    match count_digits(&s[1 + sign..], |c| c.is_ascii_digit()) {
        0 => 0,
        digits => 1 + sign + digits,
    }
}

/// A hex float's magnitude after the `0x` and the bytes it used, rounded to nearest-even.
fn parse_hex(s: &[u8]) -> Option<(f32, usize)> {
    // Keep up to 60 significant bits; further nonzero bits only matter as a "sticky" bit for
    // rounding, since f32 keeps 24.
    let mut mantissa: u64 = 0;
    let mut sticky = false;
    let mut exp2: i64 = 0;
    let mut digits = 0;
    let mut i = 0;
    let mut in_fraction = false;
    loop {
        match s.get(i) {
            Some(&c) if c.is_ascii_hexdigit() => {
                let d = (c as char).to_digit(16).unwrap() as u64;
                if mantissa >> 56 == 0 {
                    mantissa = (mantissa << 4) | d;
                    if in_fraction {
                        exp2 -= 4;
                    }
                } else {
                    sticky |= d != 0;
                    if !in_fraction {
                        exp2 += 4;
                    }
                }
                digits += 1;
            }
            Some(b'.') if !in_fraction => in_fraction = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let exp_len = exponent_len(&s[i..], b'p');
    if exp_len > 0 {
        let e = &s[i + 1..i + exp_len];
        let (neg, ds) = match e[0] {
            b'-' => (true, &e[1..]),
            b'+' => (false, &e[1..]),
            _ => (false, e),
        };
        // Saturate: anything beyond ±100000 is already far outside f32's range.
        let mut v: i64 = 0;
        for &c in ds {
            v = (v * 10 + i64::from(c - b'0')).min(100_000);
        }
        exp2 += if neg { -v } else { v };
    }
    Some((round_to_f32(mantissa, sticky, exp2), i + exp_len))
}

/// `mantissa * 2^exp2` (plus a sticky fraction below the mantissa) rounded to f32.
fn round_to_f32(mantissa: u64, sticky: bool, exp2: i64) -> f32 {
    if mantissa == 0 {
        return 0.0;
    }
    let bits = 64 - i64::from(mantissa.leading_zeros());
    // The value lies in [2^top, 2^(top+1)).
    let top = exp2 + bits - 1;
    if top > 127 {
        return f32::INFINITY;
    }
    // Significant bits f32 can keep at this magnitude: 24 for normals, fewer for subnormals.
    let precision = if top >= -126 { 24 } else { top + 150 };
    if precision <= 0 {
        // Below half the smallest subnormal rounds to 0; in [2^-150, 2^-149) it rounds up to
        // 2^-149 unless it is exactly the halfway point (ties to even, i.e. 0).
        let exactly_half = mantissa.is_power_of_two() && !sticky;
        return if precision == 0 && !exactly_half { f32::from_bits(1) } else { 0.0 };
    }
    let shift = bits - precision;
    let q = if shift <= 0 {
        mantissa << (-shift)
    } else {
        let q = mantissa >> shift;
        let rem = mantissa & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        let round_up = rem > half || (rem == half && (sticky || q & 1 == 1));
        q + round_up as u64
    };
    // q < 2^25 and the scale is in f64's range, so this product is exact; only a carry to
    // 2^128 overflows, and the cast turns that into infinity as required.
    let scale = top - precision + 1;
    (q as f64 * pow2(scale)) as f32
}

fn pow2(k: i64) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Longest output of [`write_shortest`]: `-1.2345678e-38` is 14 bytes; Postgres reserves 16.
pub const SHORTEST_MAX_LEN: usize = 16;

/// Append the shortest round-trip text of `value` the way Postgres' `float4out` does with
/// `extra_float_digits > 0` (which is what pgvector always uses, whatever the GUC says).
pub fn write_shortest(value: f32, out: &mut Vec<u8>) {
    if value.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if value.is_infinite() {
        out.extend_from_slice(if value < 0.0 { b"-Infinity" } else { b"Infinity" });
        return;
    }
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let value = value.abs();
    if value == 0.0 {
        out.push(b'0');
        return;
    }

    // Rust's `{:e}` yields the same shortest, closest digit string as Ryu; only the layout
    // differs. Format into a stack buffer to keep this allocation-free.
    let mut buf = StackBuf::new();
    core::fmt::write(&mut buf, format_args!("{value:e}")).expect("formatting an f32 cannot fail");
    let text = buf.as_bytes();
    let e_at = text.iter().position(|&c| c == b'e').expect("`{:e}` always has an exponent");
    let exp: i32 = core::str::from_utf8(&text[e_at + 1..]).unwrap().parse().unwrap();
    let mut digits = [0u8; 9];
    let mut ndigits = 0;
    for &c in text[..e_at].iter().filter(|c| c.is_ascii_digit()) {
        digits[ndigits] = c;
        ndigits += 1;
    }
    let digits = &digits[..ndigits];

    if (-4..6).contains(&exp) {
        // Fixed notation; `point` is how many digits precede the decimal point.
        let point = exp + 1;
        if point <= 0 {
            out.extend_from_slice(b"0.");
            out.extend(core::iter::repeat_n(b'0', (-point) as usize));
            out.extend_from_slice(digits);
        } else if point as usize >= digits.len() {
            out.extend_from_slice(digits);
            out.extend(core::iter::repeat_n(b'0', point as usize - digits.len()));
        } else {
            out.extend_from_slice(&digits[..point as usize]);
            out.push(b'.');
            out.extend_from_slice(&digits[point as usize..]);
        }
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        out.push(b'0' + (e / 10) as u8);
        out.push(b'0' + (e % 10) as u8);
    }
}

/// Enough for any `{:e}` of an f32 (`1.2345678e-38` is 13 bytes).
struct StackBuf {
    buf: [u8; 32],
    len: usize,
}

impl StackBuf {
    fn new() -> Self {
        StackBuf { buf: [0; 32], len: 0 }
    }
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl core::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(core::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(f32, usize, bool)> {
        parse_prefix(s.as_bytes()).map(|p| (p.value, p.len, p.overflow))
    }

    fn show(v: f32) -> String {
        let mut out = Vec::new();
        write_shortest(v, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn decimal_prefixes() {
        assert_eq!(p("1,2"), Some((1.0, 1, false)));
        assert_eq!(p("-1.5]"), Some((-1.5, 4, false)));
        assert_eq!(p("+.5"), Some((0.5, 3, false)));
        assert_eq!(p("1."), Some((1.0, 2, false)));
        assert_eq!(p("1.e5"), Some((100000.0, 4, false)));
        assert_eq!(p("1e"), Some((1.0, 1, false)));
        assert_eq!(p("1e+"), Some((1.0, 1, false)));
        assert_eq!(p("1E-2x"), Some((0.01, 4, false)));
        assert_eq!(p("1a"), Some((1.0, 1, false)));
        assert_eq!(p("."), None);
        assert_eq!(p("-"), None);
        assert_eq!(p("e5"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("hello"), None);
        assert_eq!(p("4e38"), Some((f32::INFINITY, 4, true)));
        assert_eq!(p("-4e38"), Some((f32::NEG_INFINITY, 5, true)));
        assert_eq!(p("1e-46"), Some((0.0, 5, false)));
        assert!(p("-1e-46").unwrap().0.is_sign_negative());
        assert_eq!(p("3.4028235e38").unwrap().0, f32::MAX);
        assert_eq!(p("1e99999999999999999999"), Some((f32::INFINITY, 22, true)));
    }

    #[test]
    fn special_words() {
        assert_eq!(p("Infinity,"), Some((f32::INFINITY, 8, false)));
        assert_eq!(p("-inf]"), Some((f32::NEG_INFINITY, 4, false)));
        assert_eq!(p("INFINITE"), Some((f32::INFINITY, 3, false)));
        let nan = parse_prefix(b"NaN(abc_1)x").unwrap();
        assert!(nan.value.is_nan());
        assert_eq!(nan.len, 10);
        assert_eq!(parse_prefix(b"nan(").unwrap().len, 3);
        assert_eq!(parse_prefix(b"nan(a-b)").unwrap().len, 3);
    }

    #[test]
    fn hex_floats() {
        assert_eq!(p("0x10"), Some((16.0, 4, false)));
        assert_eq!(p("0x1.8p1"), Some((3.0, 7, false)));
        assert_eq!(p("-0X.8P-1"), Some((-0.25, 8, false)));
        assert_eq!(p("0x1p"), Some((1.0, 3, false)));
        assert_eq!(p("0x"), Some((0.0, 1, false)));
        assert_eq!(p("0xg"), Some((0.0, 1, false)));
        assert_eq!(p("0x1p128"), Some((f32::INFINITY, 7, true)));
        assert_eq!(p("0x1p127").unwrap().0, 2f32.powi(127));
        assert_eq!(p("0x1p-149").unwrap().0, f32::from_bits(1));
        assert_eq!(p("0x1p-150").unwrap().0, 0.0); // tie to even
        assert_eq!(p("0x1.0001p-150").unwrap().0, f32::from_bits(1));
        assert_eq!(p("0x1.fffffefp127").unwrap().0, f32::MAX);
        assert_eq!(p("0x1.ffffffp127").unwrap().0, f32::INFINITY); // rounds up past MAX
        assert_eq!(p("0x1000001").unwrap().0, 16777216.0); // tie to even
        assert_eq!(p("0x1000003").unwrap().0, 16777220.0); // tie to even, upwards
        assert_eq!(p("0x100000100000000000001").unwrap().0, 2f32.powi(80) * (1.0 + 2f32.powi(-23)));
    }

    #[test]
    fn shortest_output() {
        assert_eq!(show(1.0), "1");
        assert_eq!(show(-0.0), "-0");
        assert_eq!(show(0.0), "0");
        assert_eq!(show(1.23456), "1.23456");
        assert_eq!(show(1.5e38), "1.5e+38");
        assert_eq!(show(-1.5e-38), "-1.5e-38");
        assert_eq!(show(123456.0), "123456");
        assert_eq!(show(1234567.0), "1.234567e+06");
        assert_eq!(show(1000000.0), "1e+06");
        assert_eq!(show(100000.0), "100000");
        assert_eq!(show(0.0001), "0.0001");
        assert_eq!(show(0.00001), "1e-05");
        assert_eq!(show(0.1), "0.1");
        assert_eq!(show(0.000123), "0.000123");
        assert_eq!(show(16777215.0), "1.6777215e+07");
        assert_eq!(show(f32::from_bits(1)), "1e-45");
        assert_eq!(show(f32::MAX), "3.4028235e+38");
        assert_eq!(show(f32::NAN), "NaN");
        assert_eq!(show(f32::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn round_trips() {
        let mut x: u32 = 0x1234_5678;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let v = f32::from_bits(x);
            if !v.is_finite() {
                continue;
            }
            let s = show(v);
            let back = parse_prefix(s.as_bytes()).unwrap();
            assert_eq!(back.len, s.len(), "{s}");
            assert_eq!(back.value.to_bits(), v.to_bits(), "{s}");
            assert!(s.len() < SHORTEST_MAX_LEN);
        }
    }
}
