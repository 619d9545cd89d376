;; Matrix products for training in WebAssembly SIMD, run on tfjs-backend-wasm's own memory
;; (gemm-simd.ts holds the compiled bytes). All pointers are byte offsets; sizes count floats.
;; Rebuild: wat2wasm src/backend/kernels/gemm.wat --output=- | base64 -w0
;;
;; Why not XNNPACK: its fully-connected operator packs the right-hand operand into panels when it
;; is created, and tfjs-backend-wasm caches the operator by that tensor's id. In training every
;; product has a new right-hand operand (updated weights, a fresh gradient), so each step pays the
;; packing; for a filter gradient (dy as the operand, 43,264 x 32 in the Keras CNN) packing took
;; most of the product's time. These loops read both operands where they lie.
(module
  (import "env" "memory" (memory 1))

  ;; lanes [0, cnt) of the 4 floats at ptr (cnt 0..4), zeros elsewhere
  (func $load_part (param $ptr i32) (param $cnt i32) (result v128)
    (local $v v128)
    (local.set $v (v128.const i32x4 0 0 0 0))
    (if (i32.ge_s (local.get $cnt) (i32.const 4)) (then (return (v128.load (local.get $ptr)))))
    (if (i32.ge_s (local.get $cnt) (i32.const 1)) (then (local.set $v (f32x4.replace_lane 0 (local.get $v) (f32.load (local.get $ptr))))))
    (if (i32.ge_s (local.get $cnt) (i32.const 2)) (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $ptr))))))
    (if (i32.ge_s (local.get $cnt) (i32.const 3)) (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $ptr))))))
    (local.get $v))

  (func $store_part (param $ptr i32) (param $v v128) (param $cnt i32)
    (if (i32.ge_s (local.get $cnt) (i32.const 4)) (then (v128.store (local.get $ptr) (local.get $v)) (return)))
    (if (i32.ge_s (local.get $cnt) (i32.const 1)) (then (f32.store (local.get $ptr) (f32x4.extract_lane 0 (local.get $v)))))
    (if (i32.ge_s (local.get $cnt) (i32.const 2)) (then (f32.store offset=4 (local.get $ptr) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_s (local.get $cnt) (i32.const 3)) (then (f32.store offset=8 (local.get $ptr) (f32x4.extract_lane 2 (local.get $v))))))

  ;; gemm: c[m, n] (+)= A · b[k, n] where A(i, p) = f32 at a + i·sai + p·sap (bytes), so that one
  ;; loop serves a·b (sai = 4k, sap = 4) and a^T·b (sai = 4, sap = 4m); b rows are sbp bytes apart.
  ;; 4x8 tiles of c stay in registers over blocks of kb products. Reads up to 7 floats past the
  ;; end of a b row (the caller makes sure that memory exists); writes only c's own elements.
  (func (export "gemm") (param $a i32) (param $sai i32) (param $sap i32) (param $b i32) (param $sbp i32)
    (param $c i32) (param $m i32) (param $n i32) (param $k i32) (param $kb i32) (param $accumulate i32)
    (local $p0 i32) (local $pend i32) (local $i i32) (local $j i32) (local $rows i32) (local $cols i32)
    (local $lo i32) (local $hi i32) (local $fresh i32) (local $nb i32) (local $cp i32) (local $p i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bp i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p0 (i32.const 0))
    (block $k_done (loop $k_loop
      (br_if $k_done (i32.ge_s (local.get $p0) (local.get $k)))
      (local.set $pend (i32.add (local.get $p0) (local.get $kb)))
      (if (i32.gt_s (local.get $pend) (local.get $k)) (then (local.set $pend (local.get $k))))
      (local.set $fresh (i32.and (i32.eqz (local.get $p0)) (i32.eqz (local.get $accumulate))))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $rows (i32.sub (local.get $m) (local.get $i)))
        (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
        (local.set $j (i32.const 0))
        (block $j_done (loop $j_loop
          (br_if $j_done (i32.ge_s (local.get $j) (local.get $n)))
          (local.set $cols (i32.sub (local.get $n) (local.get $j)))
          (if (i32.gt_s (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
          (local.set $lo (select (i32.const 4) (local.get $cols) (i32.gt_s (local.get $cols) (i32.const 4))))
          (local.set $hi (i32.sub (local.get $cols) (local.get $lo)))
          (local.set $cp (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
          (if (local.get $fresh)
            (then
              (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
              (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
              (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
              (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0)))
            (else
              (local.set $c00 (call $load_part (local.get $cp) (local.get $lo)))
              (local.set $c01 (call $load_part (i32.add (local.get $cp) (i32.const 16)) (local.get $hi)))
              (if (i32.gt_s (local.get $rows) (i32.const 1)) (then
                (local.set $c10 (call $load_part (i32.add (local.get $cp) (local.get $nb)) (local.get $lo)))
                (local.set $c11 (call $load_part (i32.add (i32.add (local.get $cp) (local.get $nb)) (i32.const 16)) (local.get $hi)))))
              (if (i32.gt_s (local.get $rows) (i32.const 2)) (then
                (local.set $c20 (call $load_part (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1))) (local.get $lo)))
                (local.set $c21 (call $load_part (i32.add (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1))) (i32.const 16)) (local.get $hi)))))
              (if (i32.gt_s (local.get $rows) (i32.const 3)) (then
                (local.set $c30 (call $load_part (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3))) (local.get $lo)))
                (local.set $c31 (call $load_part (i32.add (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3))) (i32.const 16)) (local.get $hi)))))))
          ;; row pointers at p0; rows past m read row i again (results not stored)
          (local.set $a0 (i32.add (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))) (i32.mul (local.get $p0) (local.get $sap))))
          (local.set $a1 (select (i32.add (local.get $a0) (local.get $sai)) (local.get $a0) (i32.gt_s (local.get $rows) (i32.const 1))))
          (local.set $a2 (select (i32.add (local.get $a1) (local.get $sai)) (local.get $a0) (i32.gt_s (local.get $rows) (i32.const 2))))
          (local.set $a3 (select (i32.add (local.get $a2) (local.get $sai)) (local.get $a0) (i32.gt_s (local.get $rows) (i32.const 3))))
          (local.set $bp (i32.add (i32.add (local.get $b) (i32.mul (local.get $p0) (local.get $sbp))) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (local.get $p0))
          (block $p_done (loop $p_loop
            (br_if $p_done (i32.ge_s (local.get $p) (local.get $pend)))
            (local.set $b0 (v128.load (local.get $bp)))
            (local.set $b1 (v128.load offset=16 (local.get $bp)))
            (local.set $x (v128.load32_splat (local.get $a0)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (local.get $a1)))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (local.get $a2)))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $x (v128.load32_splat (local.get $a3)))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
            (local.set $a0 (i32.add (local.get $a0) (local.get $sap)))
            (local.set $a1 (i32.add (local.get $a1) (local.get $sap)))
            (local.set $a2 (i32.add (local.get $a2) (local.get $sap)))
            (local.set $a3 (i32.add (local.get $a3) (local.get $sap)))
            (local.set $bp (i32.add (local.get $bp) (local.get $sbp)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $p_loop)))
          (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
            (then
              (v128.store (local.get $cp) (local.get $c00))
              (v128.store offset=16 (local.get $cp) (local.get $c01))
              (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
              (v128.store (local.get $cp) (local.get $c10))
              (v128.store offset=16 (local.get $cp) (local.get $c11))
              (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
              (v128.store (local.get $cp) (local.get $c20))
              (v128.store offset=16 (local.get $cp) (local.get $c21))
              (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
              (v128.store (local.get $cp) (local.get $c30))
              (v128.store offset=16 (local.get $cp) (local.get $c31)))
            (else
              (call $store_part (local.get $cp) (local.get $c00) (local.get $lo))
              (call $store_part (i32.add (local.get $cp) (i32.const 16)) (local.get $c01) (local.get $hi))
              (if (i32.gt_s (local.get $rows) (i32.const 1)) (then
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_part (local.get $cp) (local.get $c10) (local.get $lo))
                (call $store_part (i32.add (local.get $cp) (i32.const 16)) (local.get $c11) (local.get $hi))))
              (if (i32.gt_s (local.get $rows) (i32.const 2)) (then
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_part (local.get $cp) (local.get $c20) (local.get $lo))
                (call $store_part (i32.add (local.get $cp) (i32.const 16)) (local.get $c21) (local.get $hi))))
              (if (i32.gt_s (local.get $rows) (i32.const 3)) (then
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_part (local.get $cp) (local.get $c30) (local.get $lo))
                (call $store_part (i32.add (local.get $cp) (i32.const 16)) (local.get $c31) (local.get $hi))))))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $j_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $i_loop)))
      (local.set $p0 (local.get $pend))
      (br $k_loop)))
  )

  ;; bias_act: x[r, j] = act(x[r, j] + b[j]) in place for r < rows, j < width (b ignored unless
  ;; hasBias; act is relu when relu is 1, else identity). max(x, 0) keeps NaN as NaN, as tfjs does.
  (func (export "bias_act") (param $x i32) (param $b i32) (param $rows i32) (param $width i32) (param $hasBias i32) (param $relu i32)
    (local $r i32) (local $j i32) (local $rowb i32) (local $vecb i32) (local $xo i32) (local $v v128) (local $s f32)
    (local.set $rowb (i32.shl (local.get $width) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $width) (i32.const -4)) (i32.const 2)))
    (local.set $xo (local.get $x))
    (local.set $r (i32.const 0))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $v_loop
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vecb)))
        (local.set $v (v128.load (i32.add (local.get $xo) (local.get $j))))
        (if (local.get $hasBias) (then (local.set $v (f32x4.add (local.get $v) (v128.load (i32.add (local.get $b) (local.get $j)))))))
        (if (local.get $relu) (then (local.set $v (f32x4.max (local.get $v) (v128.const i32x4 0 0 0 0)))))
        (v128.store (i32.add (local.get $xo) (local.get $j)) (local.get $v))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $v_loop)))
      (block $s_done (loop $s_loop
        (br_if $s_done (i32.ge_u (local.get $j) (local.get $rowb)))
        (local.set $s (f32.load (i32.add (local.get $xo) (local.get $j))))
        (if (local.get $hasBias) (then (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $b) (local.get $j)))))))
        (if (local.get $relu) (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
        (f32.store (i32.add (local.get $xo) (local.get $j)) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $s_loop)))
      (local.set $xo (i32.add (local.get $xo) (local.get $rowb)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop)))
  )
)
