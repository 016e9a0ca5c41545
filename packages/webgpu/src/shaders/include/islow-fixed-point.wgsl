// The fixed-point arithmetic libjpeg's accurate integer DCTs share (jfdctint.c, jidctint.c): CONST_BITS 13,
// PASS1_BITS 2, FIX(x) = round(x · 2^13) of the rotation constants, and DESCALE.

const CONST_BITS: u32 = 13u;
const PASS1_BITS: u32 = 2u;

const FIX_0_298631336: i32 = 2446;
const FIX_0_390180644: i32 = 3196;
const FIX_0_541196100: i32 = 4433;
const FIX_0_765366865: i32 = 6270;
const FIX_0_899976223: i32 = 7373;
const FIX_1_175875602: i32 = 9633;
const FIX_1_501321110: i32 = 12299;
const FIX_1_847759065: i32 = 15137;
const FIX_1_961570560: i32 = 16069;
const FIX_2_053119869: i32 = 16819;
const FIX_2_562915447: i32 = 20995;
const FIX_3_072711026: i32 = 25172;

// DESCALE: x / 2^n rounded, with an arithmetic shift.
fn descale(x: i32, n: u32) -> i32 {
  return (x + (1 << (n - 1u))) >> n;
}
