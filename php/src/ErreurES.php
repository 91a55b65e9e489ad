<?php
declare(strict_types=1);

namespace Mpe;

/** 103 : lecture ou écriture de fichier. */
class ErreurES extends ErreurMpe
{
}
