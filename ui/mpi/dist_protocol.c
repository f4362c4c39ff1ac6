/* dist_protocol.c — ekm-mpi's messages: byte arrays with a tag per kind, taken by
 * polling so that a waiting main thread never spins a core the engine needs. */
#define _GNU_SOURCE
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <time.h>

#include "mpi/dist_solve.h"

void dist_send(int dest, int tag, const void *buf, size_t len)
{
    if (len > INT_MAX) /* checkpoints are far smaller; refuse rather than truncate */
        MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Send(buf, (int)len, MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

int dist_poll(int source, dist_msg *msg)
{
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag)
        return 0;
    int count = 0;
    MPI_Get_count(&st, MPI_BYTE, &count);
    msg->source = st.MPI_SOURCE;
    msg->tag = st.MPI_TAG;
    msg->len = (size_t)count;
    msg->data = count > 0 ? malloc((size_t)count + 1) : NULL;
    if (count > 0 && !msg->data)
        MPI_Abort(MPI_COMM_WORLD, 1);
    uint8_t empty;
    MPI_Recv(msg->data ? (void *)msg->data : (void *)&empty, count, MPI_BYTE, st.MPI_SOURCE,
             st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (msg->data)
        msg->data[count] = 0; /* text messages end safely */
    return 1;
}

void dist_msg_free(dist_msg *msg)
{
    free(msg->data);
    msg->data = NULL;
    msg->len = 0;
}

void dist_nap(void)
{
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

int dist_encode(const ekm_checkpoint *ck, uint8_t **buf, size_t *len, char *err, size_t errsize)
{
    ekm_error e;
    if (ekm_checkpoint_encode(ck, buf, len, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    return 0;
}

int dist_decode(const uint8_t *buf, size_t len, ekm_checkpoint **out, char *err, size_t errsize)
{
    ekm_error e;
    if (ekm_checkpoint_decode(buf, len, out, &e)) {
        ekm_error_format(&e, err, errsize);
        return -1;
    }
    return 0;
}
