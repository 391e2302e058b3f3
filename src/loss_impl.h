/* Losses written once over `real`; loss.c includes this twice.
 * Expects: real, SFX(name). Per-row work is in double: rows are short
 * (13 logits) and double keeps the float and double builds comparable. */

void SFX(loss_log_softmax)(real *out, const real *z, size_t n)
{
    double m = z[0], sum = 0;
    for (size_t j = 1; j < n; j++)
        if (z[j] > m)
            m = z[j];
    for (size_t j = 0; j < n; j++)
        sum += exp((double)z[j] - m);
    double lse = m + log(sum);
    for (size_t j = 0; j < n; j++)
        out[j] = (real)((double)z[j] - lse);
}

/* log softmax of z[0..n) in double, into out. */
static void SFX(log_softmax_d)(double *out, const real *z, size_t n)
{
    double m = z[0], sum = 0;
    for (size_t j = 1; j < n; j++)
        if (z[j] > m)
            m = z[j];
    for (size_t j = 0; j < n; j++)
        sum += exp((double)z[j] - m);
    double lse = m + log(sum);
    for (size_t j = 0; j < n; j++)
        out[j] = (double)z[j] - lse;
}

double SFX(loss_ce)(real *dlogits, const real *logits, const uint8_t *labels,
                    size_t batch, size_t n_out, size_t n_classes)
{
    double total = 0, lp[LOSS_MAX_OUTPUTS];
    for (size_t r = 0; r < batch; r++) {
        const real *z = logits + r * n_out;
        real *d = dlogits + r * n_out;
        SFX(log_softmax_d)(lp, z, n_classes);
        total -= lp[labels[r]];
        /* d CE / d z_j = softmax_j - [j = label], averaged over the batch. */
        for (size_t j = 0; j < n_out; j++)
            d[j] = j < n_classes ? (real)((exp(lp[j]) - (j == labels[r])) / (double)batch) : 0;
    }
    return total / (double)batch;
}

/* The shared body of the two imitation losses: per row, loss and gradient
 * over the selected outputs only. */
static double SFX(imitation)(real *dlogits, const real *student, const real *teacher,
                             size_t batch, size_t n_out, loss_outputs sel, int kl)
{
    double total = 0, ls[LOSS_MAX_OUTPUTS], lt[LOSS_MAX_OUTPUTS];
    size_t n = sel.end - sel.begin;
    memset(dlogits, 0, batch * n_out * sizeof *dlogits);
    for (size_t r = 0; r < batch; r++) {
        const real *s = student + r * n_out + sel.begin;
        const real *t = teacher + r * n_out + sel.begin;
        real *d = dlogits + r * n_out + sel.begin;
        if (kl) {
            /* KL(p_T || p_S) = sum p_T (log p_T - log p_S); d/d s = p_S - p_T. */
            SFX(log_softmax_d)(ls, s, n);
            SFX(log_softmax_d)(lt, t, n);
            for (size_t j = 0; j < n; j++) {
                double pt = exp(lt[j]);
                total += pt * (lt[j] - ls[j]);
                d[j] = (real)((exp(ls[j]) - pt) / (double)batch);
            }
        } else {
            for (size_t j = 0; j < n; j++) {
                double diff = (double)s[j] - (double)t[j];
                total += 0.5 * diff * diff;
                d[j] = (real)(diff / (double)batch);
            }
        }
    }
    return total / (double)batch;
}

double SFX(loss_kl)(real *dlogits, const real *student, const real *teacher,
                    size_t batch, size_t n_out, loss_outputs sel)
{
    return SFX(imitation)(dlogits, student, teacher, batch, n_out, sel, 1);
}

double SFX(loss_mse)(real *dlogits, const real *student, const real *teacher,
                     size_t batch, size_t n_out, loss_outputs sel)
{
    return SFX(imitation)(dlogits, student, teacher, batch, n_out, sel, 0);
}

size_t SFX(loss_correct)(const real *logits, const uint8_t *labels, size_t batch,
                         size_t n_out, size_t n_classes)
{
    size_t correct = 0;
    for (size_t r = 0; r < batch; r++) {
        const real *z = logits + r * n_out;
        size_t best = 0; /* first maximum wins, as torch.argmax */
        for (size_t j = 1; j < n_classes; j++)
            if (z[j] > z[best])
                best = j;
        correct += best == labels[r];
    }
    return correct;
}
