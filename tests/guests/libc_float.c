/* libc_float — floating point through picolibc's tinystdio and libm:
 * printf's %f %e %g %a, scanf and strtod, and the math library.  RV32IMAC
 * has no FPU, so every operation is libgcc's soft float; the results must
 * be the same bits under vmlab and qemu-riscv32. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double x = 1.5, third = 1.0 / 3.0;
    float f = 0.1f;

    printf("x=%f n=%d   (a double and an int after it)\n", x, 7);
    printf("%%.3f %%10.4f %%-10.2f|: %.3f %10.4f %-10.2f|\n", third, M_PI, -2.5);
    printf("%%e %%.2E: %e %.2E\n", 6.02214076e23, 1.0 / 1024);
    printf("%%g: %g %g %g %g\n", 100000.0, 1000000.0, 0.0001, 0.00001);
    printf("%%a: %a\n", 1.0);
    printf("float 0.1f as double: %.17g\n", (double)f);
    printf("DBL_EPSILON %g, DBL_MAX %g, FLT_MAX %g\n", DBL_EPSILON, DBL_MAX, (double)FLT_MAX);
    printf("inf %f, -inf %f, nan %f\n", INFINITY, -INFINITY, NAN);

    double d1, d2;
    float f1;
    int n = sscanf("3.25 -1e-3 2.5e2", "%lf %lf %f", &d1, &d2, &f1);
    printf("sscanf: %d items: %g %g %g\n", n, d1, d2, (double)f1);
    char *end;
    double s = strtod("  -12.5e1xyz", &end);
    printf("strtod: %g, rest \"%s\"; atof(\"0.125\") = %g\n", s, end, atof("0.125"));

    printf("sqrt(2)    %.15f\n", sqrt(2.0));
    printf("pow(2,0.5) %.15f\n", pow(2.0, 0.5));
    printf("exp(1)     %.15f\n", exp(1.0));
    printf("log(10)    %.15f\n", log(10.0));
    printf("log10(1e5) %.15f\n", log10(1e5));
    printf("sin(pi/6)  %.15f\n", sin(M_PI / 6));
    printf("cos(pi/3)  %.15f\n", cos(M_PI / 3));
    printf("tan(pi/4)  %.15f\n", tan(M_PI / 4));
    printf("atan2(1,1) %.15f\n", atan2(1.0, 1.0));
    printf("hypot(3,4) %.15f\n", hypot(3.0, 4.0));
    printf("floor(-2.5) %g, ceil(-2.5) %g, round(2.5) %g, trunc(-2.7) %g\n", floor(-2.5),
           ceil(-2.5), round(2.5), trunc(-2.7));
    printf("fmod(7.5, 2) %g, fabs(-3) %g, copysign(3, -0.0) %g\n", fmod(7.5, 2.0), fabs(-3.0),
           copysign(3.0, -0.0));
    printf("isnan(nan) %d, isinf(1/0.0) %d, isfinite(1) %d\n", isnan(NAN) != 0,
           isinf(1.0 / 0.0) != 0, isfinite(1.0) != 0);
    printf("sqrtf(2) %.7f, sinf(1) %.7f\n", (double)sqrtf(2.0f), (double)sinf(1.0f));
    double sum = 0;
    for (int i = 1; i <= 1000; i++)
        sum += 1.0 / ((double)i * i);
    printf("sum 1/i^2, i <= 1000: %.12f (pi^2/6 = %.12f)\n", sum, M_PI * M_PI / 6);
    return 0;
}
