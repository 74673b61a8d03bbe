/* libc_files — FILE streams on files: fopen, fprintf, fgets, fputs,
 * fread, fwrite, fseek, ftell, rewind, feof, append mode, remove; and
 * fopen's errors.  Works in the directory given as its argument. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char path[256], line[80];

    snprintf(path, sizeof path, "%s/notes.txt", argc > 1 ? argv[1] : ".");
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    for (int i = 1; i <= 3; i++)
        fprintf(f, "line %d: %s\n", i, i == 2 ? "the middle" : "an end");
    fputs("no newline at the end", f);
    printf("ftell after writing: %ld\n", ftell(f));
    printf("fclose: %d\n", fclose(f));

    f = fopen(path, "r");
    int n = 0;
    while (fgets(line, sizeof line, f))
        printf("fgets %d: %s%s", ++n, line, strchr(line, '\n') ? "" : "  <- (no newline)\n");
    printf("feof %d, ferror %d\n", feof(f) != 0, ferror(f) != 0);
    rewind(f);
    char word[8] = { 0 };
    printf("after rewind, fread 7: %zu \"%s\"\n", fread(word, 1, 7, f), word);
    fseek(f, -7, SEEK_END);
    printf("fseek(-7, SEEK_END), fgetc: '%c', ftell %ld\n", fgetc(f), ftell(f));
    int c = ungetc('X', f);
    printf("ungetc('X') = '%c', then fgetc = '%c'\n", c, fgetc(f));
    fclose(f);

    f = fopen(path, "a");
    fputs("\nappended line\n", f);
    fclose(f);
    f = fopen(path, "r");
    n = 0;
    while (fgets(line, sizeof line, f))
        n++;
    printf("lines after appending: %d, last: %s", n, line);
    fclose(f);

    f = fopen(path, "r+");
    fwrite("LINE", 1, 4, f);
    fflush(f);
    fseek(f, 0, SEEK_SET);
    printf("r+ overwrite: %s", fgets(line, sizeof line, f));
    fclose(f);

    unsigned char bytes[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)i;
    f = fopen(path, "wb");
    printf("fwrite 256 binary bytes: %zu\n", fwrite(bytes, 1, sizeof bytes, f));
    fclose(f);
    memset(bytes, 0, sizeof bytes);
    f = fopen(path, "rb");
    size_t got = fread(bytes, 1, sizeof bytes, f);
    int same = 1;
    for (int i = 0; i < 256; i++)
        same &= bytes[i] == i;
    printf("fread them back: %zu, identical %d, then fgetc is EOF: %d\n", got, same,
           fgetc(f) == EOF);
    fclose(f);

    printf("remove: %d\n", remove(path));
    errno = 0;
    f = fopen(path, "r");
    printf("fopen of the removed file: %s, errno %s\n", f ? "opened?!" : "NULL",
           strerror(errno));
    printf("fopen with mode \"q\": %s, errno %s\n", fopen(path, "q") ? "opened?!" : "NULL",
           strerror(errno));
    printf("fflush(NULL): %d\n", fflush(NULL));
    return 0;
}
