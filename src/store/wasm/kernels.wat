;; The store's per-point loops as WebAssembly (compiled by `npm run build:wasm` into
;; kernels.wasm.ts). A worker's first ingest runs them on a cold page, where the same loops in JS
;; spend tens of ms in V8's interpreter before they are optimised; WebAssembly is compiled before
;; it runs. Each function has its JS reference in ../pyramid.ts and ../sort.ts, and the unit tests hold
;; both to the same bits (test/unit/kernels.test.ts). ../kernels.ts copies the arrays in and out in
;; chunks, so the memory here stays a few MiB whatever the series' length.
(module
  (memory (export "memory") 48)
  ;; what level0 counted over its points from `from` on
  (global $nonFinite (export "nonFinite") (mut i32) (i32.const 0))
  (global $nonPositive (export "nonPositive") (mut i32) (i32.const 0))

  ;; A float32's bits to an integer that orders like the float (its own inverse): pyramid.ts `key`.
  (func $key (param $k i32) (result i32)
    (i32.xor (local.get $k)
      (i32.and (i32.shr_s (local.get $k) (i32.const 31)) (i32.const 0x7fffffff))))

  (func $key4 (param $v v128) (result v128)
    (v128.xor (local.get $v)
      (v128.and (i32x4.shr_s (local.get $v) (i32.const 31)) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))))

  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))
  (func $max (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.gt_s (local.get $a) (local.get $b))))

  ;; Level-0 blocks (16 points each) of the n float32 values at $y (point 0 starts block 0): per
  ;; block min, max and smallest positive finite value, as float32 bits, 3 x i32 at $out. Counts
  ;; the non-finite and the finite non-positive values from point $from on. pyramid.ts `level0`:
  ;; a block whose order keys are all > +0 and below +Inf, or all below -0 and above -Inf, is
  ;; decided by its min and max keys; any other block takes the exact path ($exactBlock).
  (func (export "level0") (param $y i32) (param $n i32) (param $from i32) (param $out i32)
    (local $b i32) (local $count i32) (local $full i32) (local $i0 i32) (local $end i32)
    (local $p i32) (local $mn i32) (local $mx i32) (local $k i32) (local $o i32)
    (local $vmn v128) (local $vmx v128) (local $v v128)
    (global.set $nonFinite (i32.const 0))
    (global.set $nonPositive (i32.const 0))
    (local.set $count (i32.shr_u (i32.add (local.get $n) (i32.const 15)) (i32.const 4)))
    (local.set $full (i32.shr_u (local.get $n) (i32.const 4)))
    (local.set $b (i32.const 0))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $i0 (i32.shl (local.get $b) (i32.const 4)))
        (local.set $p (i32.add (local.get $y) (i32.shl (local.get $i0) (i32.const 2))))
        (if (i32.lt_u (local.get $b) (local.get $full))
          (then
            ;; a whole block: four vectors of four keys, reduced across lanes
            (local.set $vmn (call $key4 (v128.load (local.get $p))))
            (local.set $vmx (local.get $vmn))
            (local.set $v (call $key4 (v128.load offset=16 (local.get $p))))
            (local.set $vmn (i32x4.min_s (local.get $vmn) (local.get $v)))
            (local.set $vmx (i32x4.max_s (local.get $vmx) (local.get $v)))
            (local.set $v (call $key4 (v128.load offset=32 (local.get $p))))
            (local.set $vmn (i32x4.min_s (local.get $vmn) (local.get $v)))
            (local.set $vmx (i32x4.max_s (local.get $vmx) (local.get $v)))
            (local.set $v (call $key4 (v128.load offset=48 (local.get $p))))
            (local.set $vmn (i32x4.min_s (local.get $vmn) (local.get $v)))
            (local.set $vmx (i32x4.max_s (local.get $vmx) (local.get $v)))
            (local.set $vmn (i32x4.min_s (local.get $vmn)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vmn) (local.get $vmn))))
            (local.set $vmn (i32x4.min_s (local.get $vmn)
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $vmn) (local.get $vmn))))
            (local.set $vmx (i32x4.max_s (local.get $vmx)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vmx) (local.get $vmx))))
            (local.set $vmx (i32x4.max_s (local.get $vmx)
              (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $vmx) (local.get $vmx))))
            (local.set $mn (i32x4.extract_lane 0 (local.get $vmn)))
            (local.set $mx (i32x4.extract_lane 0 (local.get $vmx)))
            (local.set $end (i32.add (local.get $i0) (i32.const 16))))
          (else
            ;; the last, partial block, one point at a time
            (local.set $mn (i32.const 0x7fffffff))
            (local.set $mx (i32.const 0x80000000))
            (local.set $end (local.get $n))
            (block $tail
              (loop $points
                (br_if $tail (i32.ge_u (local.get $p) (i32.add (local.get $y) (i32.shl (local.get $end) (i32.const 2)))))
                (local.set $k (call $key (i32.load (local.get $p))))
                (local.set $mn (call $min (local.get $mn) (local.get $k)))
                (local.set $mx (call $max (local.get $mx) (local.get $k)))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $points)))))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $b) (i32.const 12))))
        (if (i32.and (i32.gt_s (local.get $mn) (i32.const 0)) (i32.lt_s (local.get $mx) (i32.const 0x7f800000)))
          (then
            ;; all finite and > 0 (a loss curve): min is also the smallest positive value
            (i32.store (local.get $o) (call $key (local.get $mn)))
            (i32.store offset=4 (local.get $o) (call $key (local.get $mx)))
            (i32.store offset=8 (local.get $o) (call $key (local.get $mn))))
          (else
            (if (i32.and (i32.lt_s (local.get $mx) (i32.const -1)) (i32.gt_s (local.get $mn) (i32.const -0x7f800001)))
              (then
                ;; all finite and < 0: no positive value (minPos = +Inf), every point non-positive
                (i32.store (local.get $o) (call $key (local.get $mn)))
                (i32.store offset=4 (local.get $o) (call $key (local.get $mx)))
                (i32.store offset=8 (local.get $o) (i32.const 0x7f800000))
                (global.set $nonPositive (i32.add (global.get $nonPositive)
                  (i32.sub (local.get $end) (call $max (local.get $from) (local.get $i0))))))
              (else
                (call $exactBlock (local.get $y) (local.get $i0) (local.get $end)
                  (call $max (local.get $from) (local.get $i0)) (local.get $o))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $blocks))))

  ;; One block with every rule spelled out (pyramid.ts `exactBlock`): NaN fails every comparison,
  ;; the infinities are left out of min and max, and the values from $countFrom on are counted.
  (func $exactBlock (param $y i32) (param $i0 i32) (param $end i32) (param $countFrom i32) (param $o i32)
    (local $i i32) (local $v f32) (local $mn f32) (local $mx f32) (local $mp f32)
    (local.set $mn (f32.const inf))
    (local.set $mx (f32.const -inf))
    (local.set $mp (f32.const inf))
    (local.set $i (local.get $i0))
    (block $done
      (loop $points
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (f32.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.and (f32.lt (local.get $v) (local.get $mn)) (f32.ne (local.get $v) (f32.const -inf)))
          (then (local.set $mn (local.get $v))))
        (if (i32.and (f32.gt (local.get $v) (local.get $mx)) (f32.ne (local.get $v) (f32.const inf)))
          (then (local.set $mx (local.get $v))))
        (if (i32.and (f32.gt (local.get $v) (f32.const 0)) (f32.lt (local.get $v) (local.get $mp)))
          (then (local.set $mp (local.get $v))))
        (if (i32.ge_u (local.get $i) (local.get $countFrom))
          (then
            (if (f32.ne (f32.sub (local.get $v) (local.get $v)) (f32.const 0))
              (then (global.set $nonFinite (i32.add (global.get $nonFinite) (i32.const 1))))
              (else
                (if (f32.le (local.get $v) (f32.const 0))
                  (then (global.set $nonPositive (i32.add (global.get $nonPositive) (i32.const 1)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $points)))
    (f32.store (local.get $o) (local.get $mn))
    (f32.store offset=4 (local.get $o) (local.get $mx))
    (f32.store offset=8 (local.get $o) (local.get $mp)))

  ;; Blocks [$first, $count) of a level from pairs of blocks of the level below (pyramid.ts
  ;; `levelUp`): $src holds the level below from block 2 x $first on, $out receives block $first
  ;; on; a block without a second child copies its one child.
  (func (export "levelUp") (param $src i32) (param $belowCount i32) (param $out i32) (param $first i32) (param $count i32)
    (local $b i32) (local $a i32) (local $o i32)
    (local.set $b (local.get $first))
    (local.set $a (local.get $src))
    (local.set $o (local.get $out))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $b) (local.get $count)))
        (if (i32.ge_u (i32.add (i32.shl (local.get $b) (i32.const 1)) (i32.const 1)) (local.get $belowCount))
          (then
            (i32.store (local.get $o) (i32.load (local.get $a)))
            (i32.store offset=4 (local.get $o) (i32.load offset=4 (local.get $a)))
            (i32.store offset=8 (local.get $o) (i32.load offset=8 (local.get $a))))
          (else
            (i32.store (local.get $o) (call $key (call $min
              (call $key (i32.load (local.get $a))) (call $key (i32.load offset=12 (local.get $a))))))
            (i32.store offset=4 (local.get $o) (call $key (call $max
              (call $key (i32.load offset=4 (local.get $a))) (call $key (i32.load offset=16 (local.get $a))))))
            (i32.store offset=8 (local.get $o) (call $key (call $min
              (call $key (i32.load offset=8 (local.get $a))) (call $key (i32.load offset=20 (local.get $a))))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $a (i32.add (local.get $a) (i32.const 24)))
        (local.set $o (i32.add (local.get $o) (i32.const 12)))
        (br $blocks))))

  ;; 1 when the n float64 values at $x never decrease (NaN counts as out of order), else 0:
  ;; sort.ts `isSorted`.
  (func (export "sorted") (param $x i32) (param $n i32) (result i32)
    (local $p i32) (local $end i32)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return (i32.const 1))))
    (local.set $p (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.eqz (f64.le (f64.load (local.get $p)) (f64.load offset=8 (local.get $p))))
          (then (return (i32.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $pairs)))
    (i32.const 1))
)
