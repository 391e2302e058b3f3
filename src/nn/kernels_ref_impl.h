/* Plain reference loops for the dense-layer products, written once and
 * instantiated for float and double by kernels_ref.c.  Expects `real` and
 * KREF(name) to be defined.  Sums run over the shared index in increasing
 * order, in the precision of `real`. */

/* y[b][o] = b[o] + sum_i x[b][i] w[o][i]; relu clamps at 0. */
void KREF(dense_forward)(real *y, const real *x, const real *w, const real *bias,
                         size_t batch, size_t in, size_t out, int relu)
{
    for (size_t r = 0; r < batch; r++) {
        for (size_t o = 0; o < out; o++) {
            real s = 0;
            for (size_t i = 0; i < in; i++)
                s += x[r * in + i] * w[o * in + i];
            s += bias ? bias[o] : 0;
            y[r * out + o] = (relu && !(s > 0)) ? 0 : s;
        }
    }
}

/* dx[b][i] = sum_o dy[b][o] w[o][i], zeroed where mask[b][i] <= 0. */
void KREF(dense_backward_input)(real *dx, const real *dy, const real *w,
                                const real *mask, size_t batch, size_t in,
                                size_t out)
{
    for (size_t r = 0; r < batch; r++) {
        for (size_t i = 0; i < in; i++) {
            real s = 0;
            for (size_t o = 0; o < out; o++)
                s += dy[r * out + o] * w[o * in + i];
            if (mask && !(mask[r * in + i] > 0))
                s = 0;
            dx[r * in + i] = s;
        }
    }
}

/* dw[o][i] = sum_b dy[b][o] x[b][i];  db[o] = sum_b dy[b][o]. */
void KREF(dense_backward_weights)(real *dw, real *db, const real *dy,
                                  const real *x, size_t batch, size_t in,
                                  size_t out)
{
    for (size_t o = 0; o < out; o++) {
        for (size_t i = 0; i < in; i++) {
            real s = 0;
            for (size_t r = 0; r < batch; r++)
                s += dy[r * out + o] * x[r * in + i];
            dw[o * in + i] = s;
        }
        if (db) {
            real s = 0;
            for (size_t r = 0; r < batch; r++)
                s += dy[r * out + o];
            db[o] = s;
        }
    }
}
