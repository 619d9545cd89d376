;; Memory-bound training kernels in WebAssembly SIMD, run on tfjs-backend-wasm's own memory
;; (training-simd.ts holds the compiled bytes). All pointers are byte offsets; sizes count floats.
;; Rebuild: wat2wasm src/backend/kernels/training.wat --output=- | base64 -w0
(module
  (import "env" "memory" (memory 1))

  ;; sum_rows: out[j] = sum over r < rows of x[r·width + j] (float32 out), accumulated in float64
  ;; in `scratch` (width·8 bytes). Used for bias gradients: the sum over every leading axis.
  (func (export "sum_rows") (param $x i32) (param $rows i32) (param $width i32) (param $out i32) (param $scratch i32)
    (local $r i32) (local $j i32) (local $row i32) (local $end4 i32) (local $endw i32) (local $v v128) (local $s i32)
    ;; zero the scratch accumulators
    (local.set $j (i32.const 0))
    (local.set $endw (i32.shl (local.get $width) (i32.const 3)))
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_u (local.get $j) (local.get $endw)))
      (f64.store (i32.add (local.get $scratch) (local.get $j)) (f64.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $z)))
    (local.set $end4 (i32.and (local.get $width) (i32.const -4)))
    (local.set $row (local.get $x))
    (local.set $r (i32.const 0))
    (block $rows_done (loop $rows_loop
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $v_loop
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $end4)))
        (local.set $v (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $s (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store (local.get $s)
          (f64x2.add (v128.load (local.get $s)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store offset=16 (local.get $s)
          (f64x2.add (v128.load offset=16 (local.get $s))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $v_loop)))
      (block $t_done (loop $t_loop
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $width)))
        (local.set $s (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $s)
          (f64.add (f64.load (local.get $s))
            (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $t_loop)))
      (local.set $row (i32.add (local.get $row) (i32.shl (local.get $width) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows_loop)))
    (local.set $j (i32.const 0))
    (block $o_done (loop $o
      (br_if $o_done (i32.ge_u (local.get $j) (local.get $width)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $o)))
  )

  ;; maxpool2x2_grad: the gradient of a 2x2, stride-2, unpadded max pool over NHWC input x
  ;; [b, h, w, c] (SIMD over the first c & ~3 channels, scalar for the rest). Each window's dy goes to the first position holding its
  ;; maximum (strictly greater wins, as in TensorFlow); the other three get 0. Positions outside
  ;; every window (odd h or w) are not written: the caller zeroes them.
  (func (export "maxpool2x2_grad") (param $x i32) (param $dy i32) (param $dx i32)
    (param $b i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (local $n i32) (local $i i32) (local $j i32) (local $k i32) (local $cb i32) (local $rowb i32)
    (local $t0 i32) (local $t1 i32) (local $t2 i32) (local $t3 i32) (local $o i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $best v128) (local $g v128)
    (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $vecb i32) (local $at i32) (local $bs f32)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (local.set $rowb (i32.mul (local.get $w) (local.get $cb)))
    (local.set $o (local.get $dy))
    (local.set $n (i32.const 0))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $b)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $oh)))
        (local.set $j (i32.const 0))
        (block $j_done (loop $j_loop
          (br_if $j_done (i32.ge_u (local.get $j) (local.get $ow)))
          ;; byte offset of the window's top-left element, relative to x and dx
          (local.set $t0 (i32.add
            (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (i32.shl (local.get $i) (i32.const 1))) (local.get $rowb))
            (i32.mul (i32.shl (local.get $j) (i32.const 1)) (local.get $cb))))
          (local.set $k (i32.const 0))
          (block $k_done (loop $k_loop
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $vecb)))
            (local.set $t1 (i32.add (i32.add (local.get $t0) (local.get $k)) (local.get $cb)))
            (local.set $t2 (i32.add (i32.add (local.get $t0) (local.get $k)) (local.get $rowb)))
            (local.set $t3 (i32.add (local.get $t2) (local.get $cb)))
            (local.set $v0 (v128.load (i32.add (local.get $x) (i32.add (local.get $t0) (local.get $k)))))
            (local.set $v1 (v128.load (i32.add (local.get $x) (local.get $t1))))
            (local.set $v2 (v128.load (i32.add (local.get $x) (local.get $t2))))
            (local.set $v3 (v128.load (i32.add (local.get $x) (local.get $t3))))
            (local.set $g (v128.load (i32.add (local.get $o) (local.get $k))))
            (local.set $m1 (f32x4.gt (local.get $v1) (local.get $v0)))
            (local.set $best (v128.bitselect (local.get $v1) (local.get $v0) (local.get $m1)))
            (local.set $m2 (f32x4.gt (local.get $v2) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v2) (local.get $best) (local.get $m2)))
            (local.set $m3 (f32x4.gt (local.get $v3) (local.get $best)))
            (v128.store (i32.add (local.get $dx) (local.get $t3)) (v128.and (local.get $g) (local.get $m3)))
            (v128.store (i32.add (local.get $dx) (local.get $t2))
              (v128.and (local.get $g) (v128.andnot (local.get $m2) (local.get $m3))))
            (v128.store (i32.add (local.get $dx) (local.get $t1))
              (v128.and (local.get $g) (v128.andnot (v128.andnot (local.get $m1) (local.get $m2)) (local.get $m3))))
            (v128.store (i32.add (local.get $dx) (i32.add (local.get $t0) (local.get $k)))
              (v128.andnot (local.get $g) (v128.or (v128.or (local.get $m1) (local.get $m2)) (local.get $m3))))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $k_loop)))
          ;; leftover channels, one at a time: zero the window, then route dy to its first maximum
          (block $s_done (loop $s_loop
            (br_if $s_done (i32.ge_u (local.get $k) (local.get $cb)))
            (local.set $t1 (i32.add (i32.add (local.get $t0) (local.get $k)) (local.get $cb)))
            (local.set $t2 (i32.add (i32.add (local.get $t0) (local.get $k)) (local.get $rowb)))
            (local.set $t3 (i32.add (local.get $t2) (local.get $cb)))
            (local.set $at (i32.add (local.get $t0) (local.get $k)))
            (f32.store (i32.add (local.get $dx) (local.get $at)) (f32.const 0))
            (f32.store (i32.add (local.get $dx) (local.get $t1)) (f32.const 0))
            (f32.store (i32.add (local.get $dx) (local.get $t2)) (f32.const 0))
            (f32.store (i32.add (local.get $dx) (local.get $t3)) (f32.const 0))
            (local.set $bs (f32.load (i32.add (local.get $x) (local.get $at))))
            (if (f32.gt (f32.load (i32.add (local.get $x) (local.get $t1))) (local.get $bs))
              (then (local.set $at (local.get $t1)) (local.set $bs (f32.load (i32.add (local.get $x) (local.get $t1))))))
            (if (f32.gt (f32.load (i32.add (local.get $x) (local.get $t2))) (local.get $bs))
              (then (local.set $at (local.get $t2)) (local.set $bs (f32.load (i32.add (local.get $x) (local.get $t2))))))
            (if (f32.gt (f32.load (i32.add (local.get $x) (local.get $t3))) (local.get $bs))
              (then (local.set $at (local.get $t3))))
            (f32.store (i32.add (local.get $dx) (local.get $at)) (f32.load (i32.add (local.get $o) (local.get $k))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $s_loop)))
          (local.set $o (i32.add (local.get $o) (local.get $cb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $j_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop)))
  )

  ;; depthwise_grads: the gradients of a depthwise convolution with channel multiplier 1 over NHWC
  ;; tensors, c a multiple of 4. For every output position and every filter tap inside the input,
  ;; the filter gradient (mode 0) gets x·dy added at the tap, or the input gradient (mode 1) gets
  ;; w·dy added at the input position. The caller zeroes the output first.
  (func (export "depthwise_grads") (param $mode i32) (param $x i32) (param $wgt i32) (param $dy i32) (param $out i32)
    (param $b i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $n i32) (local $i i32) (local $j i32) (local $p i32) (local $q i32) (local $k i32)
    (local $ih i32) (local $iw i32) (local $cb i32) (local $dyrow i32) (local $xrow i32) (local $tap i32) (local $dst i32)
    (local $src i32)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (local.set $dyrow (local.get $dy))
    (local.set $n (i32.const 0))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $b)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $oh)))
        (local.set $j (i32.const 0))
        (block $j_done (loop $j_loop
          (br_if $j_done (i32.ge_u (local.get $j) (local.get $ow)))
          (local.set $p (i32.const 0))
          (block $p_done (loop $p_loop
            (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
            (local.set $ih (i32.add (i32.sub (i32.mul (local.get $i) (local.get $sh)) (local.get $top)) (i32.mul (local.get $p) (local.get $dh))))
            (if (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $h)))
              (then
                (local.set $q (i32.const 0))
                (block $q_done (loop $q_loop
                  (br_if $q_done (i32.ge_u (local.get $q) (local.get $kw)))
                  (local.set $iw (i32.add (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)) (i32.mul (local.get $q) (local.get $dw))))
                  (if (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $w)))
                    (then
                      ;; byte offsets of the input position and of the tap's channel row
                      (local.set $xrow (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)) (local.get $iw)) (local.get $cb)))
                      (local.set $tap (i32.mul (i32.add (i32.mul (local.get $p) (local.get $kw)) (local.get $q)) (local.get $cb)))
                      (if (i32.eqz (local.get $mode))
                        (then
                          (local.set $dst (i32.add (local.get $out) (local.get $tap)))
                          (local.set $src (i32.add (local.get $x) (local.get $xrow))))
                        (else
                          (local.set $dst (i32.add (local.get $out) (local.get $xrow)))
                          (local.set $src (i32.add (local.get $wgt) (local.get $tap)))))
                      (local.set $k (i32.const 0))
                      (block $k_done (loop $k_loop
                        (br_if $k_done (i32.ge_u (local.get $k) (local.get $cb)))
                        (v128.store (i32.add (local.get $dst) (local.get $k))
                          (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $k)))
                            (f32x4.mul (v128.load (i32.add (local.get $src) (local.get $k)))
                              (v128.load (i32.add (local.get $dyrow) (local.get $k))))))
                        (local.set $k (i32.add (local.get $k) (i32.const 16)))
                        (br $k_loop)))))
                  (local.set $q (i32.add (local.get $q) (i32.const 1)))
                  (br $q_loop)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $p_loop)))
          (local.set $dyrow (i32.add (local.get $dyrow) (local.get $cb)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $j_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop)))
  )

  ;; im2col: rows [b, oh, ow] of kh·kw·c values (kh major, then kw, then channel) of NHWC x,
  ;; zeros where the window reaches into padding.
  (func (export "im2col") (param $x i32) (param $out i32)
    (param $b i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $n i32) (local $i i32) (local $j i32) (local $p i32) (local $q i32) (local $k i32)
    (local $ih i32) (local $run i32) (local $iw i32) (local $cb i32) (local $dst i32) (local $src i32) (local $vecb i32)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (local.set $dst (local.get $out))
    (local.set $n (i32.const 0))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $b)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $oh)))
        (local.set $j (i32.const 0))
        (block $j_done (loop $j_loop
          (br_if $j_done (i32.ge_u (local.get $j) (local.get $ow)))
          (local.set $p (i32.const 0))
          (block $p_done (loop $p_loop
            (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
            (local.set $ih (i32.add (i32.sub (i32.mul (local.get $i) (local.get $sh)) (local.get $top)) (i32.mul (local.get $p) (local.get $dh))))
            ;; the window's row inside x at unit dilation: kw·c contiguous floats at once
            (local.set $iw (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)))
            (if (i32.and
                  (i32.and (i32.eq (local.get $dw) (i32.const 1))
                    (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $h))))
                  (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.le_s (i32.add (local.get $iw) (local.get $kw)) (local.get $w))))
              (then
                (local.set $src (i32.add (local.get $x)
                  (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)) (local.get $iw)) (local.get $cb))))
                (local.set $run (i32.mul (local.get $kw) (local.get $cb)))
                (local.set $k (i32.const 0))
                (block $rv_done (loop $rv_loop
                  (br_if $rv_done (i32.gt_s (i32.add (local.get $k) (i32.const 16)) (local.get $run)))
                  (v128.store (i32.add (local.get $dst) (local.get $k)) (v128.load (i32.add (local.get $src) (local.get $k))))
                  (local.set $k (i32.add (local.get $k) (i32.const 16)))
                  (br $rv_loop)))
                (block $rs_done (loop $rs_loop
                  (br_if $rs_done (i32.ge_s (local.get $k) (local.get $run)))
                  (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.load (i32.add (local.get $src) (local.get $k))))
                  (local.set $k (i32.add (local.get $k) (i32.const 4)))
                  (br $rs_loop)))
                (local.set $dst (i32.add (local.get $dst) (local.get $run)))
                (local.set $q (local.get $kw)))
              (else (local.set $q (i32.const 0))))
            (block $q_done (loop $q_loop
              (br_if $q_done (i32.ge_u (local.get $q) (local.get $kw)))
              (local.set $iw (i32.add (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)) (i32.mul (local.get $q) (local.get $dw))))
              (if (i32.and
                    (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $h)))
                    (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $w))))
                (then
                  (local.set $src (i32.add (local.get $x)
                    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)) (local.get $iw)) (local.get $cb))))
                  (local.set $k (i32.const 0))
                  (block $v_done (loop $v_loop
                    (br_if $v_done (i32.ge_u (local.get $k) (local.get $vecb)))
                    (v128.store (i32.add (local.get $dst) (local.get $k)) (v128.load (i32.add (local.get $src) (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 16)))
                    (br $v_loop)))
                  (block $s_done (loop $s_loop
                    (br_if $s_done (i32.ge_u (local.get $k) (local.get $cb)))
                    (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.load (i32.add (local.get $src) (local.get $k))))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $s_loop))))
                (else (memory.fill (local.get $dst) (i32.const 0) (local.get $cb))))
              (local.set $dst (i32.add (local.get $dst) (local.get $cb)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br $q_loop)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $p_loop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $j_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop)))
  )

  ;; im2col_t: im2col transposed, [kh·kw·c, b·oh·ow]: one row per filter tap and channel, so that
  ;; a filter gradient is colsT · dy. A single channel at stride 1 copies whole runs (memory.copy).
  (func (export "im2col_t") (param $x i32) (param $out i32)
    (param $b i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $p i32) (local $q i32) (local $k i32) (local $n i32) (local $i i32) (local $j i32)
    (local $ih i32) (local $iw i32) (local $dst i32) (local $rowb i32) (local $j0 i32) (local $j1 i32) (local $base i32)
    (local.set $rowb (i32.shl (local.get $ow) (i32.const 2)))
    (local.set $dst (local.get $out))
    (local.set $p (i32.const 0))
    (block $p_done (loop $p_loop
      (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
      (local.set $q (i32.const 0))
      (block $q_done (loop $q_loop
        (br_if $q_done (i32.ge_u (local.get $q) (local.get $kw)))
        ;; output columns whose input column j·sw - left + q·dw lies in [0, w), for the fast path
        (local.set $j0 (i32.sub (local.get $left) (i32.mul (local.get $q) (local.get $dw))))
        (if (i32.lt_s (local.get $j0) (i32.const 0)) (then (local.set $j0 (i32.const 0))))
        (if (i32.gt_s (local.get $j0) (local.get $ow)) (then (local.set $j0 (local.get $ow))))
        (local.set $j1 (i32.add (i32.sub (local.get $w) (i32.mul (local.get $q) (local.get $dw))) (local.get $left)))
        (if (i32.gt_s (local.get $j1) (local.get $ow)) (then (local.set $j1 (local.get $ow))))
        (if (i32.lt_s (local.get $j1) (local.get $j0)) (then (local.set $j1 (local.get $j0))))
        (local.set $k (i32.const 0))
        (block $k_done (loop $k_loop
          (br_if $k_done (i32.ge_u (local.get $k) (local.get $c)))
          (local.set $n (i32.const 0))
          (block $n_done (loop $n_loop
            (br_if $n_done (i32.ge_u (local.get $n) (local.get $b)))
            (local.set $i (i32.const 0))
            (block $i_done (loop $i_loop
              (br_if $i_done (i32.ge_u (local.get $i) (local.get $oh)))
              (local.set $ih (i32.add (i32.sub (i32.mul (local.get $i) (local.get $sh)) (local.get $top)) (i32.mul (local.get $p) (local.get $dh))))
              (if (i32.or (i32.lt_s (local.get $ih) (i32.const 0)) (i32.ge_s (local.get $ih) (local.get $h)))
                (then (memory.fill (local.get $dst) (i32.const 0) (local.get $rowb)))
                (else
                  (if (i32.and (i32.eq (local.get $c) (i32.const 1)) (i32.eq (local.get $sw) (i32.const 1)))
                    (then
                      ;; input row (n, ih) starts at base; column j reads x[base + j - left + q·dw]
                      (local.set $base (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)))
                      (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $j0) (i32.const 2)))
                      (memory.copy
                        (i32.add (local.get $dst) (i32.shl (local.get $j0) (i32.const 2)))
                        (i32.add (local.get $x) (i32.shl
                          (i32.add (local.get $base) (i32.add (i32.sub (local.get $j0) (local.get $left)) (i32.mul (local.get $q) (local.get $dw))))
                          (i32.const 2)))
                        (i32.shl (i32.sub (local.get $j1) (local.get $j0)) (i32.const 2)))
                      (memory.fill (i32.add (local.get $dst) (i32.shl (local.get $j1) (i32.const 2))) (i32.const 0)
                        (i32.shl (i32.sub (local.get $ow) (local.get $j1)) (i32.const 2))))
                    (else
                      (local.set $j (i32.const 0))
                      (block $j_done (loop $j_loop
                        (br_if $j_done (i32.ge_u (local.get $j) (local.get $ow)))
                        (local.set $iw (i32.add (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)) (i32.mul (local.get $q) (local.get $dw))))
                        (if (i32.or (i32.lt_s (local.get $iw) (i32.const 0)) (i32.ge_s (local.get $iw) (local.get $w)))
                          (then (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))) (f32.const 0)))
                          (else (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2)))
                            (f32.load (i32.add (local.get $x) (i32.shl
                              (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)) (local.get $iw)) (local.get $c)) (local.get $k))
                              (i32.const 2)))))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $j_loop)))))))
              (local.set $dst (i32.add (local.get $dst) (local.get $rowb)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $i_loop)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $n_loop)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $k_loop)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $q_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p_loop)))
  )

  ;; col2im: the reverse of im2col for a gradient. dx (NHWC, zeroed here) gets every row
  ;; [b, oh, ow] of cols (kh·kw·c values, kh major, then kw, then channel) added back at the input
  ;; positions its window read; taps in the padding are dropped. With im2col's product this is the
  ;; input gradient of a convolution without the zero-dilated, padded copy of dy.
  (func (export "col2im") (param $cols i32) (param $dx i32)
    (param $b i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $n i32) (local $i i32) (local $j i32) (local $p i32) (local $q i32) (local $k i32)
    (local $ih i32) (local $run i32) (local $iw i32) (local $cb i32) (local $src i32) (local $dst i32) (local $vecb i32)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (memory.fill (local.get $dx) (i32.const 0) (i32.mul (i32.mul (i32.mul (local.get $b) (local.get $h)) (local.get $w)) (local.get $cb)))
    (local.set $src (local.get $cols))
    (local.set $n (i32.const 0))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $b)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $oh)))
        (local.set $j (i32.const 0))
        (block $j_done (loop $j_loop
          (br_if $j_done (i32.ge_u (local.get $j) (local.get $ow)))
          (local.set $p (i32.const 0))
          (block $p_done (loop $p_loop
            (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
            (local.set $ih (i32.add (i32.sub (i32.mul (local.get $i) (local.get $sh)) (local.get $top)) (i32.mul (local.get $p) (local.get $dh))))
            ;; the window's row inside x at unit dilation: kw·c contiguous floats at once
            (local.set $iw (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)))
            (if (i32.and
                  (i32.and (i32.eq (local.get $dw) (i32.const 1))
                    (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $h))))
                  (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.le_s (i32.add (local.get $iw) (local.get $kw)) (local.get $w))))
              (then
                (local.set $dst (i32.add (local.get $dx)
                  (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)) (local.get $iw)) (local.get $cb))))
                (local.set $run (i32.mul (local.get $kw) (local.get $cb)))
                (local.set $k (i32.const 0))
                (block $rv_done (loop $rv_loop
                  (br_if $rv_done (i32.gt_s (i32.add (local.get $k) (i32.const 16)) (local.get $run)))
                  (v128.store (i32.add (local.get $dst) (local.get $k)) (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $k))) (v128.load (i32.add (local.get $src) (local.get $k)))))
                  (local.set $k (i32.add (local.get $k) (i32.const 16)))
                  (br $rv_loop)))
                (block $rs_done (loop $rs_loop
                  (br_if $rs_done (i32.ge_s (local.get $k) (local.get $run)))
                  (f32.store (i32.add (local.get $dst) (local.get $k)) (f32.add (f32.load (i32.add (local.get $dst) (local.get $k))) (f32.load (i32.add (local.get $src) (local.get $k)))))
                  (local.set $k (i32.add (local.get $k) (i32.const 4)))
                  (br $rs_loop)))
                (local.set $src (i32.add (local.get $src) (local.get $run)))
                (local.set $q (local.get $kw)))
              (else (local.set $q (i32.const 0))))
            (block $q_done (loop $q_loop
              (br_if $q_done (i32.ge_u (local.get $q) (local.get $kw)))
              (local.set $iw (i32.add (i32.sub (i32.mul (local.get $j) (local.get $sw)) (local.get $left)) (i32.mul (local.get $q) (local.get $dw))))
              (if (i32.and
                    (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $h)))
                    (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $w))))
                (then
                  (local.set $dst (i32.add (local.get $dx)
                    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $ih)) (local.get $w)) (local.get $iw)) (local.get $cb))))
                  (local.set $k (i32.const 0))
                  (block $v_done (loop $v_loop
                    (br_if $v_done (i32.ge_u (local.get $k) (local.get $vecb)))
                    (v128.store (i32.add (local.get $dst) (local.get $k))
                      (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $k))) (v128.load (i32.add (local.get $src) (local.get $k)))))
                    (local.set $k (i32.add (local.get $k) (i32.const 16)))
                    (br $v_loop)))
                  (block $s_done (loop $s_loop
                    (br_if $s_done (i32.ge_u (local.get $k) (local.get $cb)))
                    (f32.store (i32.add (local.get $dst) (local.get $k))
                      (f32.add (f32.load (i32.add (local.get $dst) (local.get $k))) (f32.load (i32.add (local.get $src) (local.get $k)))))
                    (local.set $k (i32.add (local.get $k) (i32.const 4)))
                    (br $s_loop)))))
              (local.set $src (i32.add (local.get $src) (local.get $cb)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br $q_loop)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $p_loop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $j_loop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop)))
  )

  ;; add_bias: out[r, j] = x[r, j] + b[j] for r < rows, j < width (the bias add of every dense
  ;; and convolution layer, where tfjs's broadcasting Add walks index arithmetic per element).
  (func (export "add_bias") (param $x i32) (param $b i32) (param $out i32) (param $rows i32) (param $width i32)
    (local $r i32) (local $j i32) (local $rowb i32) (local $vecb i32) (local $xo i32) (local $oo i32)
    (local.set $rowb (i32.shl (local.get $width) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $width) (i32.const -4)) (i32.const 2)))
    (local.set $xo (local.get $x))
    (local.set $oo (local.get $out))
    (local.set $r (i32.const 0))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $v_loop
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vecb)))
        (v128.store (i32.add (local.get $oo) (local.get $j))
          (f32x4.add (v128.load (i32.add (local.get $xo) (local.get $j))) (v128.load (i32.add (local.get $b) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $v_loop)))
      (block $s_done (loop $s_loop
        (br_if $s_done (i32.ge_u (local.get $j) (local.get $rowb)))
        (f32.store (i32.add (local.get $oo) (local.get $j))
          (f32.add (f32.load (i32.add (local.get $xo) (local.get $j))) (f32.load (i32.add (local.get $b) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $s_loop)))
      (local.set $xo (i32.add (local.get $xo) (local.get $rowb)))
      (local.set $oo (i32.add (local.get $oo) (local.get $rowb)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop)))
  )

  ;; matmul_small_k: out[m, n] = a[m, k] · b[k, n] for a short inner dimension k (a dense head's
  ;; gradient through its 10 classes): each output row is k scaled rows of b added up, with no
  ;; operator to create or weights to pack, which is what XNNPACK spends most of such a product on.
  (func (export "matmul_small_k") (param $a i32) (param $b i32) (param $out i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $p i32) (local $j i32) (local $nb i32) (local $vecb i32) (local $orow i32) (local $brow i32)
    (local $s v128) (local $sf f32) (local $arow i32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $m) (local.get $nb)))
    (local.set $orow (local.get $out))
    (local.set $arow (local.get $a))
    (local.set $i (i32.const 0))
    (block $i_done (loop $i_loop
      (br_if $i_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $brow (local.get $b))
      (local.set $p (i32.const 0))
      (block $p_done (loop $p_loop
        (br_if $p_done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $sf (f32.load (i32.add (local.get $arow) (i32.shl (local.get $p) (i32.const 2)))))
        (local.set $s (f32x4.splat (local.get $sf)))
        (local.set $j (i32.const 0))
        (block $v_done (loop $v_loop
          (br_if $v_done (i32.ge_u (local.get $j) (local.get $vecb)))
          (v128.store (i32.add (local.get $orow) (local.get $j))
            (f32x4.add (v128.load (i32.add (local.get $orow) (local.get $j)))
              (f32x4.mul (local.get $s) (v128.load (i32.add (local.get $brow) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $v_loop)))
        (block $t_done (loop $t_loop
          (br_if $t_done (i32.ge_u (local.get $j) (local.get $nb)))
          (f32.store (i32.add (local.get $orow) (local.get $j))
            (f32.add (f32.load (i32.add (local.get $orow) (local.get $j)))
              (f32.mul (local.get $sf) (f32.load (i32.add (local.get $brow) (local.get $j))))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $t_loop)))
        (local.set $brow (i32.add (local.get $brow) (local.get $nb)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $p_loop)))
      (local.set $orow (i32.add (local.get $orow) (local.get $nb)))
      (local.set $arow (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $i_loop)))
  )

  ;; transpose2d: out[n, m] = x[m, n], batch matrices one after another, in 8-row strips so
  ;; that the strided writes stay within a few cache lines (wasm 4.22's Transpose walks generic
  ;; index arithmetic per element).
  (func (export "transpose2d") (param $x i32) (param $out i32) (param $batch i32) (param $m i32) (param $n i32)
    (local $bi i32) (local $i0 i32) (local $i i32) (local $iend i32) (local $j i32) (local $xb i32) (local $ob i32)
    (local.set $xb (local.get $x))
    (local.set $ob (local.get $out))
    (local.set $bi (i32.const 0))
    (block $b_done (loop $b_loop
      (br_if $b_done (i32.ge_u (local.get $bi) (local.get $batch)))
      (local.set $i0 (i32.const 0))
      (block $s_done (loop $s_loop
        (br_if $s_done (i32.ge_u (local.get $i0) (local.get $m)))
        (local.set $iend (i32.add (local.get $i0) (i32.const 8)))
        (if (i32.gt_u (local.get $iend) (local.get $m)) (then (local.set $iend (local.get $m))))
        (local.set $j (i32.const 0))
        (block $j_done (loop $j_loop
          (br_if $j_done (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $i (local.get $i0))
          (block $i_done (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $i) (local.get $iend)))
            (f32.store
              (i32.add (local.get $ob) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $m)) (local.get $i)) (i32.const 2)))
              (f32.load (i32.add (local.get $xb) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $i_loop)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $j_loop)))
        (local.set $i0 (local.get $iend))
        (br $s_loop)))
      (local.set $xb (i32.add (local.get $xb) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2))))
      (local.set $ob (i32.add (local.get $ob) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2))))
      (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
      (br $b_loop)))
  )

  ;; scale_shift: out[r, j] = x[r, j]·a[j] + b[j] (batch norm at inference once its statistics are
  ;; folded into one scale and one shift per channel).
  (func (export "scale_shift") (param $x i32) (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $width i32)
    (local $r i32) (local $j i32) (local $rowb i32) (local $vecb i32) (local $xo i32) (local $oo i32)
    (local.set $rowb (i32.shl (local.get $width) (i32.const 2)))
    (local.set $vecb (i32.shl (i32.and (local.get $width) (i32.const -4)) (i32.const 2)))
    (local.set $xo (local.get $x))
    (local.set $oo (local.get $out))
    (local.set $r (i32.const 0))
    (block $r_done (loop $r_loop
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $v_loop
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vecb)))
        (v128.store (i32.add (local.get $oo) (local.get $j))
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $xo) (local.get $j))) (v128.load (i32.add (local.get $a) (local.get $j))))
            (v128.load (i32.add (local.get $b) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $v_loop)))
      (block $s_done (loop $s_loop
        (br_if $s_done (i32.ge_u (local.get $j) (local.get $rowb)))
        (f32.store (i32.add (local.get $oo) (local.get $j))
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $xo) (local.get $j))) (f32.load (i32.add (local.get $a) (local.get $j))))
            (f32.load (i32.add (local.get $b) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $s_loop)))
      (local.set $xo (i32.add (local.get $xo) (local.get $rowb)))
      (local.set $oo (i32.add (local.get $oo) (local.get $rowb)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $r_loop)))
  )
)
