//! Text conversion of single floats exactly as pgvector gets it from C and Postgres:
//! [`parse_prefix`] accepts what C's `strtof` accepts (pgvector's parser) and
//! [`write_shortest`] prints what Postgres' `float_to_shortest_decimal_bufn` prints (Ryu's
//! shortest round-trip digits, fixed notation for decimal exponents -4..=5, else `1.5e+38`).
//!
//! Pure Rust with no Postgres in it, so it behaves identically on x86_64 and wasm32 and can
//! be tested with `rustc --test` on its own.

/// The whitespace pgvector's parsers skip (`vector_isspace`, `halfvec_isspace`,
/// `sparsevec_isspace`: the same set as Postgres' `scanner_isspace`).
#[inline]
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The position of the first non-space byte of `s` at or after `at` (or `s.len()`).
#[inline]
pub fn skip_spaces(s: &[u8], mut at: usize) -> usize {
    while s.get(at).is_some_and(|&c| is_space(c)) {
        at += 1;
    }
    at
}

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

impl Parsed {
    /// `errno == ERANGE && value == 0`: a non-zero literal too small for float4, which rounded
    /// to zero (`sparsevec_in` rejects these). `token` is the parsed text, `s[..len]`.
    pub fn underflow(&self, token: &[u8]) -> bool {
        if self.value != 0.0 {
            return false;
        }
        // The significand's digits: after any sign and hex prefix, before the exponent.
        let unsigned = token
            .strip_prefix(b"-")
            .or_else(|| token.strip_prefix(b"+"))
            .unwrap_or(token);
        let (digits, marker) = match unsigned {
            [b'0', x, rest @ ..] if (x | 0x20) == b'x' => (rest, b'p'),
            _ => (unsigned, b'e'),
        };
        digits
            .iter()
            .take_while(|&&c| (c | 0x20) != marker)
            .any(|&c| c.is_ascii_alphanumeric() && c != b'0')
    }
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
        let len = if starts_with_ignore_case(rest, b"infinity") {
            8
        } else {
            3
        };
        return Some(Parsed {
            value: signed(f32::INFINITY),
            len: i + len,
            overflow: false,
        });
    }
    if starts_with_ignore_case(rest, b"nan") {
        let mut len = 3;
        if rest.get(3) == Some(&b'(') {
            let chars = rest[4..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_');
            let close = 4 + chars.count();
            if rest.get(close) == Some(&b')') {
                len = close + 1;
            }
        }
        return Some(Parsed {
            value: f32::NAN,
            len: i + len,
            overflow: false,
        });
    }
    if rest.len() >= 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x' {
        if let Some((magnitude, len)) = parse_hex(&rest[2..]) {
            let value = signed(magnitude);
            return Some(Parsed {
                value,
                len: i + 2 + len,
                overflow: value.is_infinite(),
            });
        }
        // "0x" without hex digits: strtof reads just the "0".
    }

    let len = decimal_len(rest)?;
    let text = core::str::from_utf8(&s[..i + len]).ok()?;
    // Rust's parser is correctly rounded like glibc's and musl's strtof, and it accepts every
    // form `decimal_len` admits, including "1." and ".5".
    let value: f32 = text.parse().ok()?;
    Some(Parsed {
        value,
        len: i + len,
        overflow: value.is_infinite(),
    })
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
        return if precision == 0 && !exactly_half {
            f32::from_bits(1)
        } else {
            0.0
        };
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

/// Append `value` as Postgres' `float_to_shortest_decimal_bufn` prints it, which is what
/// pgvector's `vector_out` uses whatever `extra_float_digits` says.
///
/// That is Ryu, with one Postgres change that makes a general-purpose shortest formatter
/// (Rust's `{}` included) unusable here: it never prints a value lying exactly halfway between
/// two floats, even when that would be shorter, so readers need not get round-half-even right
/// (`-37408608` prints as `-3.7408608e+07`, not `-3.740861e+07`).
pub fn write_shortest(value: f32, out: &mut Vec<u8>) {
    let bits = value.to_bits();
    let negative = bits >> 31 != 0;
    let ieee_mantissa = bits & ((1 << MANTISSA_BITS) - 1);
    let ieee_exponent = (bits >> MANTISSA_BITS) & 0xff;
    if ieee_exponent == 0xff {
        out.extend_from_slice(match (ieee_mantissa != 0, negative) {
            (true, _) => b"NaN".as_slice(),
            (false, false) => b"Infinity",
            (false, true) => b"-Infinity",
        });
        return;
    }
    if negative {
        out.push(b'-');
    }
    if ieee_exponent == 0 && ieee_mantissa == 0 {
        out.push(b'0');
        return;
    }
    let decimal = small_int(ieee_mantissa, ieee_exponent)
        .unwrap_or_else(|| shortest_decimal(ieee_mantissa, ieee_exponent));
    write_decimal(decimal, out);
}

const MANTISSA_BITS: u32 = 23;
const EXPONENT_BIAS: i32 = 127;

/// `mantissa * 10^exponent`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Decimal {
    mantissa: u32,
    exponent: i32,
}

/// Integers in [1, 2^24) print as themselves; like Postgres, skip the general algorithm for
/// them (their digits may then carry trailing zeros, which `write_decimal` handles).
fn small_int(ieee_mantissa: u32, ieee_exponent: u32) -> Option<Decimal> {
    let e2 = ieee_exponent as i32 - EXPONENT_BIAS - MANTISSA_BITS as i32;
    if !(-(MANTISSA_BITS as i32)..=0).contains(&e2) {
        return None;
    }
    let fraction_mask = (1u32 << -e2) - 1;
    if ieee_mantissa & fraction_mask != 0 {
        return None;
    }
    let m2 = (1u32 << MANTISSA_BITS) | ieee_mantissa;
    Some(Decimal {
        mantissa: m2 >> -e2,
        exponent: 0,
    })
}

/// Ryu's search for the shortest decimal in the rounding interval of a float, with both
/// interval ends excluded (Postgres builds Ryu with `STRICTLY_SHORTEST` off), and among those
/// the one nearest the exact value.
fn shortest_decimal(ieee_mantissa: u32, ieee_exponent: u32) -> Decimal {
    // Two extra bits of exponent so the interval ends are integers too.
    let (e2, m2) = if ieee_exponent == 0 {
        (1 - EXPONENT_BIAS - MANTISSA_BITS as i32 - 2, ieee_mantissa)
    } else {
        (
            ieee_exponent as i32 - EXPONENT_BIAS - MANTISSA_BITS as i32 - 2,
            (1u32 << MANTISSA_BITS) | ieee_mantissa,
        )
    };
    // The value is mv * 2^e2 and the interval (mm, mp) * 2^e2; below a power of two the lower
    // neighbour is twice as close.
    let mv = 4 * m2;
    let mp = 4 * m2 + 2;
    let mm_shift = (ieee_mantissa != 0 || ieee_exponent <= 1) as u32;
    let mm = 4 * m2 - 1 - mm_shift;

    // Scale all three by a power of ten, truncating, and note whether the value's scaled form
    // is exact (so an exact tie can be rounded to even later).
    let (mut vr, mut vp, mut vm, e10);
    let mut vr_exact = false;
    let mut last_removed: u32 = 0;
    if e2 >= 0 {
        let q = log10_pow2(e2);
        e10 = q as i32;
        let k = POW5_INV_BITCOUNT + pow5_bits(q as i32) - 1;
        let i = -e2 + q as i32 + k;
        vr = mul_shift(mv, POW5_INV_SPLIT[q as usize], i);
        vp = mul_shift(mp, POW5_INV_SPLIT[q as usize], i);
        vm = mul_shift(mm, POW5_INV_SPLIT[q as usize], i);
        if q != 0 && (vp - 1) / 10 <= vm / 10 {
            // The loop below may not run, but rounding needs the first digit dropped here.
            let l = POW5_INV_BITCOUNT + pow5_bits(q as i32 - 1) - 1;
            last_removed =
                mul_shift(mv, POW5_INV_SPLIT[q as usize - 1], -e2 + q as i32 - 1 + l) % 10;
        }
        if q <= 9 {
            // At most one of mp, mv, mm is a multiple of 5.
            if mv % 5 == 0 {
                vr_exact = multiple_of_pow5(mv, q);
            } else {
                // Exclusive upper end: step below it when it is exactly representable.
                vp -= multiple_of_pow5(mp, q) as u32;
            }
        }
    } else {
        let q = log10_pow5(-e2);
        e10 = q as i32 + e2;
        let i = -e2 - q as i32;
        let k = pow5_bits(i) - POW5_BITCOUNT;
        let j = q as i32 - k;
        vr = mul_shift(mv, POW5_SPLIT[i as usize], j);
        vp = mul_shift(mp, POW5_SPLIT[i as usize], j);
        vm = mul_shift(mm, POW5_SPLIT[i as usize], j);
        if q != 0 && (vp - 1) / 10 <= vm / 10 {
            let j = q as i32 - 1 - (pow5_bits(i + 1) - POW5_BITCOUNT);
            last_removed = mul_shift(mv, POW5_SPLIT[i as usize + 1], j) % 10;
        }
        if q <= 1 {
            // mv = 4 * m2 has at least two trailing zero bits, mp at least one.
            vr_exact = true;
            vp -= 1;
        } else if q < 31 {
            vr_exact = multiple_of_pow2(mv, q - 1);
        }
    }

    // Drop digits while the interval still holds a shorter number.
    let mut removed = 0;
    if vr_exact {
        while vp / 10 > vm / 10 {
            vr_exact &= last_removed == 0;
            last_removed = vr % 10;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed += 1;
        }
        if vr_exact && last_removed == 5 && vr % 2 == 0 {
            // Exactly halfway: round to even.
            last_removed = 4;
        }
    } else {
        while vp / 10 > vm / 10 {
            last_removed = vr % 10;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed += 1;
        }
    }
    // Round up when the dropped digits say so, or when truncation hit the excluded lower end.
    let mantissa = vr + (vr == vm || last_removed >= 5) as u32;
    Decimal {
        mantissa,
        exponent: e10 + removed,
    }
}

/// Postgres' layout: fixed notation for decimal exponents -4..=5 (like printf's `%g`), else
/// `d.ddde±XX` with at least two exponent digits.
fn write_decimal(decimal: Decimal, out: &mut Vec<u8>) {
    let mut digits_buf = [0u8; 10];
    let digits = decimal_digits(decimal.mantissa, &mut digits_buf);
    let display_exp = decimal.exponent + digits.len() as i32 - 1;

    if (-4..6).contains(&display_exp) {
        let before_point = decimal.exponent + digits.len() as i32;
        if before_point <= 0 {
            out.extend_from_slice(b"0.");
            out.extend(core::iter::repeat_n(b'0', (-before_point) as usize));
            out.extend_from_slice(digits);
        } else if decimal.exponent < 0 {
            let (int, frac) = digits.split_at(before_point as usize);
            out.extend_from_slice(int);
            out.push(b'.');
            out.extend_from_slice(frac);
        } else {
            out.extend_from_slice(digits);
            out.extend(core::iter::repeat_n(b'0', decimal.exponent as usize));
        }
        return;
    }

    // Only the small-integer shortcut leaves trailing zeros; they belong in the exponent.
    let mut digits = digits;
    while digits.len() > 1 && digits[digits.len() - 1] == b'0' {
        digits = &digits[..digits.len() - 1];
    }
    out.push(digits[0]);
    if digits.len() > 1 {
        out.push(b'.');
        out.extend_from_slice(&digits[1..]);
    }
    out.push(b'e');
    out.push(if display_exp < 0 { b'-' } else { b'+' });
    let e = display_exp.unsigned_abs();
    out.push(b'0' + (e / 10) as u8);
    out.push(b'0' + (e % 10) as u8);
}

fn decimal_digits(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[start..];
        }
    }
}

// Ryu's fixed-point powers of five, computed at compile time: 5^i's top 61 bits, and
// 2^(⌈log2 5^i⌉ - 1 + 59) / 5^i rounded up.
const POW5_BITCOUNT: i32 = 61;
const POW5_INV_BITCOUNT: i32 = 59;
static POW5_SPLIT: [u64; 47] = pow5_split();
static POW5_INV_SPLIT: [u64; 31] = pow5_inv_split();

const fn pow5_split() -> [u64; 47] {
    let mut table = [0u64; 47];
    let mut pow5: u128 = 1;
    let mut i = 0;
    while i < table.len() {
        let shift = pow5_bits(i as i32) - POW5_BITCOUNT;
        table[i] = if shift >= 0 {
            (pow5 >> shift) as u64
        } else {
            (pow5 << -shift) as u64
        };
        pow5 *= 5;
        i += 1;
    }
    table
}

const fn pow5_inv_split() -> [u64; 31] {
    let mut table = [0u64; 31];
    let mut pow5: u128 = 1;
    let mut i = 0;
    while i < table.len() {
        let n = pow5_bits(i as i32) - 1 + POW5_INV_BITCOUNT;
        // 2^128 itself does not fit; 5^i (i >= 1) never divides a power of two, so
        // floor(2^n / 5^i) == floor((2^n - 1) / 5^i).
        let quotient = if n >= 128 {
            u128::MAX / pow5
        } else {
            (1u128 << n) / pow5
        };
        table[i] = (quotient + 1) as u64;
        pow5 *= 5;
        i += 1;
    }
    table
}

/// ⌈log2(5^e)⌉ for 0 <= e <= 3528 (1 for e = 0).
const fn pow5_bits(e: i32) -> i32 {
    ((e as u32 * 1_217_359) >> 19) as i32 + 1
}

/// ⌊log10(2^e)⌋ for 0 <= e <= 1650.
fn log10_pow2(e: i32) -> u32 {
    (e as u32 * 78_913) >> 18
}

/// ⌊log10(5^e)⌋ for 0 <= e <= 2620.
fn log10_pow5(e: i32) -> u32 {
    (e as u32 * 732_923) >> 20
}

/// ⌊m * factor / 2^shift⌋; it always fits 32 bits for Ryu's arguments.
fn mul_shift(m: u32, factor: u64, shift: i32) -> u32 {
    ((u128::from(m) * u128::from(factor)) >> shift) as u32
}

fn multiple_of_pow5(mut value: u32, p: u32) -> bool {
    let mut count = 0;
    while value % 5 == 0 {
        value /= 5;
        count += 1;
    }
    count >= p
}

fn multiple_of_pow2(value: u32, p: u32) -> bool {
    value & ((1u32 << p) - 1) == 0
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
        assert_eq!(
            p("0x100000100000000000001").unwrap().0,
            2f32.powi(80) * (1.0 + 2f32.powi(-23))
        );
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
        // Exactly halfway between floats is never printed (Postgres' Ryu without
        // STRICTLY_SHORTEST), though shorter.
        assert_eq!(show(-37408608.0), "-3.7408608e+07");
        assert_eq!(show(203638.12), "203638.12");
        assert_eq!(show(1e7), "1e+07");
        assert_eq!(show(999999.0), "999999");
        assert_eq!(show(9999999.0), "9.999999e+06");
        assert_eq!(show(33554432.0), "3.3554432e+07");
    }

    #[test]
    fn ryu_tables() {
        // Spot checks against Ryu's published tables.
        assert_eq!(POW5_INV_SPLIT[0], 576460752303423489);
        assert_eq!(POW5_INV_SPLIT[1], 461168601842738791);
        assert_eq!(POW5_INV_SPLIT[29], 456719261665907162);
        assert_eq!(POW5_INV_SPLIT[30], 365375409332725730);
        assert_eq!(POW5_SPLIT[0], 1152921504606846976);
        assert_eq!(POW5_SPLIT[1], 1441151880758558720);
        assert_eq!(POW5_SPLIT[31], 2273736754432320594);
        assert_eq!(POW5_SPLIT[46], 2019483917365790221);
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
