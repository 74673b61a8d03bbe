/* libc_stdin — reading standard input from a pipe: fgets for lines,
 * scanf for numbers, getchar to the end.  The input is
 *   a title line, then a count n and n numbers, then free text. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char title[80];
    int n, x, sum = 0, i;

    if (!fgets(title, sizeof title, stdin)) {
        printf("no input\n");
        return 1;
    }
    title[strcspn(title, "\n")] = 0;
    printf("title: \"%s\"\n", title);
    if (scanf("%d", &n) != 1) {
        printf("no count\n");
        return 1;
    }
    for (i = 0; i < n && scanf("%d", &x) == 1; i++)
        sum += x;
    printf("read %d numbers, sum %d\n", i, sum);
    int c, chars = 0, lines = 0;
    while ((c = getchar()) != EOF) {
        chars++;
        lines += c == '\n';
    }
    printf("then %d characters in %d lines up to EOF\n", chars, lines);
    printf("feof(stdin) %d\n", feof(stdin) != 0);
    return 0;
}
